"""Adding pupils from a spreadsheet saved as CSV: read and check every row (the preview),
then import all of them or none."""

import csv
import dataclasses
import datetime
import io

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.choices import Arrangement
from schools.models import AuditEntry, KinshipPupil, LocalAuthority, School
from schools.services import SchoolError
from schools.services.audit import audit_record
from schools.services.records import validate_upn

IMPORT_COLUMNS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "upn",
    "school_urn",
    "arrangement",
    "previously_looked_after",
    "send_status",
    "social_worker_involved",
]
IMPORT_MAX_ROWS = 2000
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


@dataclasses.dataclass
class ImportRow:
    number: int  # the spreadsheet row, counting the header as row 1
    raw: dict
    values: dict = dataclasses.field(default_factory=dict)
    errors: list[str] = dataclasses.field(default_factory=list)


def _choice(value: str, choices, unknown: str) -> str:
    """The code for a cell that holds a code or an English label. The file is read the same
    whatever the language of the page: labels are compared untranslated. `unknown` is the
    message for anything else, with %(value)s."""
    wanted = value.strip().lower()
    with translation.override(None):
        known = [(code, str(label)) for code, label in choices]
    for code, label in known:
        if wanted in (code.lower(), label.lower()):
            return code
    raise ValueError(unknown % {"value": value})


def _date(value: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 - a date, not a time
        except ValueError:
            continue
    raise ValueError(
        gettext("Date of birth “%(value)s” must be like 2015-03-27 or 27/03/2015")
        % {"value": value}
    )


def _yes_no(value: str, message: str) -> bool:
    """yes or no in English, whatever the language of the page; `message` if neither."""
    wanted = value.strip().lower()
    if wanted in _YES:
        return True
    if wanted in _NO:
        return False
    raise ValueError(message)


def _delimiter(text: str) -> str:
    """A comma; or a tab, if the first line has tabs and no comma (Excel's "Unicode text")."""
    first_line = text.split("\n", 1)[0].split("\r", 1)[0]
    return "\t" if "\t" in first_line and "," not in first_line else ","


def pupil_import_parse(*, virtual_school, text: str) -> tuple[list[ImportRow], list[str]]:
    """Read a spreadsheet saved as CSV. Returns every row with its errors, and errors about the file.

    Rows are numbered as the spreadsheet numbers them: the column names are row 1, a blank line
    is a row too, and a cell with line breaks in it does not start a new row.
    """
    text = text.lstrip("\ufeff")
    # newline="": line breaks inside quoted cells, and old Mac files that end lines with \r alone.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        records = list(reader)
    except csv.Error:  # a cell longer than the csv module allows, for example
        return [], [gettext("The file could not be read: save it as ‘CSV UTF-8’ and try again")]
    headers = [h.strip().lower() for h in (records[0] if records else [])]
    missing = [c for c in IMPORT_COLUMNS if c not in headers]
    if missing:
        return [], [
            gettext("The file needs these columns: %(columns)s. Missing: %(missing)s")
            % {"columns": ", ".join(IMPORT_COLUMNS), "missing": ", ".join(missing)}
        ]
    schools = {
        s.urn: s for s in School.objects.filter(virtual_school=virtual_school).exclude(urn="")
    }
    la_numbers = set(
        LocalAuthority.objects.exclude(dfe_la_number=None).values_list("dfe_la_number", flat=True)
    )
    rows: list[ImportRow] = []
    today = timezone.localdate()
    # Messages for people, in the page's language; what the file holds is read in English.
    name_messages = [
        (
            "first_name",
            gettext("First name is missing"),
            gettext("First name must be 80 characters or fewer"),
        ),
        (
            "last_name",
            gettext("Last name is missing"),
            gettext("Last name must be 80 characters or fewer"),
        ),
    ]
    unknown_arrangement = gettext("Arrangement “%(value)s” is not one we know")
    unknown_send = gettext("SEND status “%(value)s” is not one we know")
    looked_after_message = gettext("Previously looked after must be yes or no")
    social_worker_message = gettext("Social worker involved must be yes or no")
    missing_messages = {
        "date_of_birth": gettext("Date of birth is missing"),
        "arrangement": gettext("Arrangement is missing"),
    }
    more_cells_message = gettext("This row has more cells than there are columns")
    for number, cells in enumerate(records[1:], start=2):
        cells = [cell.strip() for cell in cells]
        # A short row's missing cells are blank.
        padded = cells + [""] * (len(headers) - len(cells))
        raw = dict(zip(headers, padded, strict=False))
        extra = cells[len(headers) :]
        if not any(raw.values()) and not any(extra):
            continue
        row = ImportRow(number=number, raw=raw)
        rows.append(row)
        if len(rows) > IMPORT_MAX_ROWS:
            return rows, [
                gettext("Import at most %(max)s pupils at a time") % {"max": IMPORT_MAX_ROWS}
            ]
        if extra:
            # An unquoted comma in a name, say: the cells after it are under the wrong columns,
            # even if the cell that falls off the end is blank. (A spreadsheet writes as many
            # cells in every row as in the row of column names.)
            row.errors.append(more_cells_message)
        for field, missing_message, too_long_message in name_messages:
            # A line break in a quoted cell (Alt+Enter in Excel) is a space in a name.
            name = " ".join(raw[field].split())
            if not name:
                row.errors.append(missing_message)
            elif len(name) > 80:
                row.errors.append(too_long_message)
            else:
                row.values[field] = name
        checks = [
            ("date_of_birth", lambda v: _date(v)),
            ("arrangement", lambda v: _choice(v, Arrangement.choices, unknown_arrangement)),
            (
                "send_status",
                lambda v: _choice(v or "none", KinshipPupil.Send.choices, unknown_send),
            ),
            ("previously_looked_after", lambda v: _yes_no(v, looked_after_message)),
            ("social_worker_involved", lambda v: _yes_no(v, social_worker_message)),
        ]
        for field, parse in checks:
            if field in missing_messages and not raw[field]:  # blank, or a short row
                row.errors.append(missing_messages[field])
                continue
            try:
                row.values[field] = parse(raw[field])
            except ValueError as error:
                row.errors.append(str(error))
        dob = row.values.get("date_of_birth")
        if dob and not (today.replace(year=today.year - 25) <= dob <= today):
            row.errors.append(gettext("Date of birth must be in the last 25 years"))
        try:
            upn = validate_upn(raw["upn"]) if raw["upn"] else ""
            if upn and upn[1:4] not in la_numbers:
                raise ValidationError("unknown LA")
            row.values["upn"] = upn
        except ValidationError as error:
            row.errors.append(error.messages[0])
        urn = raw["school_urn"]
        if urn and urn not in schools:
            row.errors.append(
                gettext("No school with URN %(urn)s is on your list: add the school first")
                % {"urn": urn}
            )
        row.values["school"] = schools.get(urn)
    _mark_duplicates(rows, virtual_school)
    return rows, []


def _mark_duplicates(rows: list[ImportRow], virtual_school) -> None:
    seen_people: dict[tuple, int] = {}
    seen_upns: dict[str, int] = {}
    existing = KinshipPupil.objects.filter(virtual_school=virtual_school)
    known_people = {
        (f.lower(), la.lower(), d)
        for f, la, d in existing.values_list("first_name", "last_name", "date_of_birth")
    }
    known_upns = set(existing.exclude(upn="").values_list("upn", flat=True))
    for row in rows:
        v = row.values
        person = (
            v.get("first_name", "").lower(),
            v.get("last_name", "").lower(),
            v.get("date_of_birth"),
        )
        upn = v.get("upn", "")
        if all(person) and person in seen_people:
            row.errors.append(
                gettext("Same name and date of birth as row %(row)s") % {"row": seen_people[person]}
            )
        elif all(person) and person in known_people:
            row.errors.append(
                gettext("A pupil with this name and date of birth is already recorded")
            )
        if upn and upn in seen_upns:
            row.errors.append(gettext("Same UPN as row %(row)s") % {"row": seen_upns[upn]})
        elif upn and upn in known_upns:
            row.errors.append(gettext("A pupil with this UPN is already recorded"))
        if all(person):
            seen_people.setdefault(person, row.number)
        if upn:
            seen_upns.setdefault(upn, row.number)


@transaction.atomic
def pupil_import(*, virtual_school, actor, text: str) -> int:
    """Add every pupil in the file, or none: any error in any row stops the whole import."""
    rows, file_errors = pupil_import_parse(virtual_school=virtual_school, text=text)
    nothing_imported = gettext(
        "Nothing was imported: correct the rows with errors and upload the file again"
    )
    if file_errors or not rows or any(row.errors for row in rows):
        raise SchoolError(nothing_imported)
    try:
        with transaction.atomic():
            KinshipPupil.objects.bulk_create(
                [KinshipPupil(virtual_school=virtual_school, **row.values) for row in rows]
            )
    except IntegrityError:
        # Another officer added one of these pupils after the check above: the database's
        # rule caught it, and the preview shown again names the row.
        raise SchoolError(nothing_imported) from None
    audit_record(
        actor=actor,
        virtual_school=virtual_school,
        action=AuditEntry.Action.IMPORT,
        object_type="KinshipPupil",
        summary=f"Imported {len(rows)} pupils from a spreadsheet",
    )
    return len(rows)
