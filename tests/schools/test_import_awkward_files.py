"""Awkward files that spreadsheets, text editors and mistakes produce. Each one names what it
gets: a message beside the file field (nothing is checked or kept), or the preview with exactly
its rows (their spreadsheet numbers, names and errors) and, only if every row is fine, an
import that saves exactly those pupils."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schools.models import KinshipPupil
from schools.services import imports as import_services
from schools.views.imports import IMPORT_SESSION_KEY
from tests.schools.test_import import URL, confirm_token
from tests.schools.test_records import error_beside, page_text, text_of

pytestmark = pytest.mark.django_db

COLUMNS = import_services.IMPORT_COLUMNS
# Names outside ASCII, so a file read in the wrong encoding shows the wrong names.
ZOE = "Zoë,Brontë,2015-03-27,,,sgo,yes,none,no"
SIAN = "Siân,Ng,2014-01-02,,,cao,,,"
ZOE_READY = "Zoë Brontë 2015-03-27 sgo Ready"
SIAN_READY = "Siân Ng 2014-01-02 cao Ready"


def csv_bytes(
    *rows: str, newline: str = "\r\n", encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    """The column names and `rows` (written with commas) as a file. "utf-8-sig" starts it with
    a byte order mark; so does "utf-16-le" or "utf-16-be" here, as spreadsheets write them."""
    lines = [",".join(COLUMNS), *rows]
    text = newline.join(line.replace(",", delimiter) for line in lines) + newline
    if encoding in ("utf-16-le", "utf-16-be"):
        text = "\ufeff" + text
    return text.encode(encoding)


def preview_rows(response) -> dict[int, str]:
    """Every row of the preview table: its number, then what the row shows (name, date of
    birth, UPN, URN, arrangement, then Ready or each error)."""
    body = re.search(
        r'<tbody class="govuk-table__body">(.*?)</tbody>', response.content.decode(), re.S
    )
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else "", re.S):
        number, shown = text_of(row).split(" ", 1)
        rows[int(number)] = shown
    return rows


def upload(client, content: bytes):
    return client.post(URL, {"file": SimpleUploadedFile("pupils.csv", content)})


# Files that are read, previewed and imported -------------------------------------------------


@pytest.mark.parametrize(
    ("content", "rows", "saved"),
    [
        pytest.param(
            csv_bytes(ZOE, SIAN, newline="\n"),
            {2: ZOE_READY, 3: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="utf-8-without-a-byte-order-mark",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN, encoding="utf-8-sig"),
            {2: ZOE_READY, 3: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="utf-8-with-a-byte-order-mark",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN, encoding="utf-16-le"),
            {2: ZOE_READY, 3: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="utf-16-little-endian-with-a-byte-order-mark",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN, encoding="utf-16-be"),
            {2: ZOE_READY, 3: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="utf-16-big-endian-with-a-byte-order-mark",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN, encoding="utf-16-le", delimiter="\t"),
            {2: ZOE_READY, 3: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="excel-unicode-text-utf-16-with-tabs",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN, encoding="cp1252"),
            {2: ZOE_READY, 3: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="windows-1252",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN, newline="\r"),
            {2: ZOE_READY, 3: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="old-mac-line-endings",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN, newline="\r\n"),
            {2: ZOE_READY, 3: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="windows-line-endings",
        ),
        pytest.param(
            csv_bytes('"Zoë\nMay",Brontë,2015-03-27,,,sgo,,,', SIAN),
            {2: "Zoë May Brontë 2015-03-27 sgo Ready", 3: SIAN_READY},
            {("Zoë May", "Brontë"), ("Siân", "Ng")},
            id="a-line-break-in-a-quoted-cell-stays-in-its-row",
        ),
        pytest.param(
            csv_bytes(ZOE, "", SIAN),
            {2: ZOE_READY, 4: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="a-blank-line-is-numbered-as-the-spreadsheet-does",
        ),
        pytest.param(
            csv_bytes(ZOE, "Siân,Ng,2014-01-02,,,cao"),
            {2: ZOE_READY, 3: SIAN_READY},
            {("Zoë", "Brontë"), ("Siân", "Ng")},
            id="fewer-cells-missing-only-optional-values",
        ),
    ],
)
def test_files_from_spreadsheets_and_editors_are_read_and_imported(
    client, officer, content, rows, saved
):
    client.force_login(officer)
    preview = upload(client, content)
    assert error_beside(preview, "file") == ""
    assert preview_rows(preview) == rows
    assert f"All {len(rows)} rows can be imported" in page_text(preview)
    client.post(URL, {"token": confirm_token(preview)})
    assert set(KinshipPupil.objects.values_list("first_name", "last_name")) == saved


# Files that are read, but whose rows or whole file cannot be imported ------------------------

MORE_CELLS = "This row has more cells than there are columns"


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        pytest.param(
            csv_bytes(ZOE, SIAN + ",extra,cells"),
            {2: ZOE_READY, 3: f"Siân Ng 2014-01-02 cao Error Row 3: {MORE_CELLS}"},
            id="more-cells-than-columns",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN + ","),
            {2: ZOE_READY, 3: f"Siân Ng 2014-01-02 cao Error Row 3: {MORE_CELLS}"},
            id="a-blank-cell-after-the-last-column",
        ),
        pytest.param(
            # An unquoted comma in a name moves every cell after it one column along.
            csv_bytes(ZOE, "Siân,Ng, Jr,2014-01-02,,,cao,,,"),
            {
                2: ZOE_READY,
                3: "Siân Ng Jr 2014-01-02 Error "
                f"Row 3: {MORE_CELLS} "
                "Row 3: Date of birth “Jr” must be like 2015-03-27 or 27/03/2015 "
                "Row 3: Arrangement is missing "
                "Row 3: Previously looked after must be yes or no "
                "Row 3: A UPN has 13 characters, like B801200005001",
            },
            id="an-unquoted-comma-in-a-name",
        ),
        pytest.param(
            csv_bytes(ZOE, "Siân,Ng"),
            {
                2: ZOE_READY,
                3: "Siân Ng Error Row 3: Date of birth is missing Row 3: Arrangement is missing",
            },
            id="fewer-cells-missing-required-values",
        ),
        pytest.param(
            # A carriage return alone ends a line, as it does in a spreadsheet.
            csv_bytes(ZOE, SIAN.replace("Siân", "Si\rân"), newline="\n"),
            {
                2: ZOE_READY,
                3: "Si Error Row 3: Last name is missing "
                "Row 3: Date of birth is missing Row 3: Arrangement is missing",
                4: "ân Ng 2014-01-02 cao Ready",
            },
            id="a-bare-carriage-return-in-a-cell",
        ),
        pytest.param(
            # Everything after an opening quote that is never closed is one cell.
            csv_bytes(ZOE, '"Siân,Ng,2014-01-02,,,cao,,,', SIAN),
            {
                2: ZOE_READY,
                3: f"Siân,Ng,2014-01-02,,,cao,,, {SIAN} Error "
                "Row 3: Last name is missing "
                "Row 3: Date of birth is missing Row 3: Arrangement is missing",
            },
            id="an-unclosed-quote",
        ),
    ],
)
def test_rows_that_cannot_be_imported_say_which_row_and_why(client, officer, content, rows):
    client.force_login(officer)
    preview = upload(client, content)
    assert preview_rows(preview) == rows
    text = page_text(preview)
    assert "Nothing has been imported" in text and "1 row has errors" in text
    assert confirm_token(preview) == "" and IMPORT_SESSION_KEY not in client.session
    assert not KinshipPupil.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            csv_bytes(),
            "The file has no pupils in it: add one pupil on each row below the column names",
            id="column-names-only",
        ),
        pytest.param(
            csv_bytes(ZOE, f'"{"x" * 200_000}",Ng,2014-01-02,,,cao,,,'),
            "The file could not be read: save it as ‘CSV UTF-8’ and try again",
            id="an-enormous-cell",
        ),
    ],
)
def test_files_with_nothing_to_import_say_why(client, officer, content, message):
    client.force_login(officer)
    preview = upload(client, content)
    text = page_text(preview)
    assert f"Check your file Nothing has been imported {message}" in text
    assert preview_rows(preview) == {} and confirm_token(preview) == ""
    assert not KinshipPupil.objects.exists()


# Files refused beside the file field ---------------------------------------------------------

NOT_A_CSV = "The selected file must be a CSV: in your spreadsheet, choose Save as, then CSV"
NOT_READABLE = "The selected file could not be read: save it as ‘CSV UTF-8’ and try again"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "The selected file is empty", id="empty"),
        pytest.param(b"\r\n \r\n", "The selected file is empty", id="blank-lines-only"),
        pytest.param(
            "\ufeff\r\n".encode("utf-16-le"), "The selected file is empty", id="empty-utf-16"
        ),
        pytest.param(
            b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,
            NOT_A_CSV,
            id="a-spreadsheet-renamed-to-csv",
        ),
        pytest.param(csv_bytes(ZOE, SIAN.replace("Siân", "Si\x00ân")), NOT_A_CSV, id="a-nul"),
        pytest.param(
            csv_bytes(ZOE, SIAN.replace("Siân", "Si\x00ân"), encoding="utf-16-le"),
            NOT_A_CSV,
            id="a-nul-in-utf-16",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN).decode().encode("utf-16-le"),
            NOT_A_CSV,
            id="utf-16-without-a-byte-order-mark",
        ),
        pytest.param(
            csv_bytes(ZOE, SIAN, encoding="utf-16-le")[:-1],
            NOT_READABLE,
            id="utf-16-cut-short",
        ),
        pytest.param(
            csv_bytes(ZOE) + b"\x81\x8d\r\n",  # neither UTF-8 nor Windows-1252
            NOT_READABLE,
            id="an-unknown-encoding",
        ),
    ],
)
def test_files_that_cannot_be_read_are_refused_beside_the_file_field(
    client, officer, content, message
):
    client.force_login(officer)
    response = upload(client, content)
    assert response.status_code == 200
    assert error_beside(response, "file") == message
    assert "Check your file" not in page_text(response) and preview_rows(response) == {}
    assert IMPORT_SESSION_KEY not in client.session
