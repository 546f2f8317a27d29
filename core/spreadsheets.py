"""CSV files people open in a spreadsheet: pupil and report exports, attendee lists.

Every CSV the portal writes goes through `csv_response`, and every cell through `csv_cell`,
so the exports cannot drift apart: views hand over values (numbers, dates, booleans, None),
never text they formatted themselves, and this module writes them one way:

- a decimal or float to a fixed number of places (one unless the column says otherwise),
  as people read it: 79.4, 100.0 -- never 79.4000000000000;
- a date as ISO 8601 (2026-11-30), a date and time as ISO 8601 in UK time
  (2026-11-30T09:30:00+00:00), so a spreadsheet sorts them;
- a boolean as Yes or No, and nothing (None) as an empty cell;
- a list (a course's days) as its items so written, with commas between;
- text that a spreadsheet would run as a formula with a leading apostrophe (CSV injection).

tests/core/test_spreadsheets.py checks that no other module writes CSV itself.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Places after the decimal point for a number that is not whole, unless the column says.
DECIMAL_PLACES = 1


def csv_cell(value, *, places: int = DECIMAL_PLACES) -> str:
    """One cell, written the one way every export writes it (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return f"{value:.{places}f}"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):  # several values in one cell: a course's days
        return ", ".join(csv_cell(item, places=places) for item in value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_rows(
    header: Sequence, rows: Iterable[Sequence], *, places: Mapping | None = None
) -> Iterable[list[str]]:
    """The header, then each row's cells written by `csv_cell`.

    `places` gives a column (named by its heading, as in `header`) other than one decimal
    place: {HOURS: 2}."""
    places = places or {}
    unknown = [heading for heading in places if heading not in header]
    if unknown:
        raise ValueError(f"No column {unknown!r} in the header")
    column_places = [places.get(heading, DECIMAL_PLACES) for heading in header]
    yield [str(heading) for heading in header]
    for row in rows:
        yield [
            csv_cell(cell, places=column_places[n] if n < len(column_places) else DECIMAL_PLACES)
            for n, cell in enumerate(row)
        ]


def csv_response(
    filename: str,
    header: Sequence,
    rows: Iterable[Sequence],
    *,
    places: Mapping | None = None,
) -> HttpResponse:
    """UTF-8 with a byte-order mark, so Excel shows names like Zoë correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(csv_rows(header, rows, places=places))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
