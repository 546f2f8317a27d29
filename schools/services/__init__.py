"""Every change to the schools app's data is a function in one of this package's modules,
one module per subject; import it from there (`from schools.services.advice import
advice_reply`).

- records: pupils, termly reviews, liaison records and the list of schools
- imports: adding pupils from a spreadsheet saved as CSV
- advice: carers' advice requests and the replies to them
- staff: the Virtual School team, and claiming the staff morning summary
- audit: the audit log (views and exports of pupil data; changes write theirs too)

This module holds only SchoolError, the one error they all raise.
"""


class SchoolError(Exception):
    """A Virtual School operation is not allowed; the message says why, for the person.

    `field` names the form field the message belongs beside, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
