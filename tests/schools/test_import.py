"""Importing pupils from a spreadsheet saved as CSV: every row is checked and shown first, and
the import is all or nothing."""

import datetime
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from schools.models import AuditEntry, KinshipPupil
from schools.services import imports as import_services
from tests.schools.test_races import race
from tests.schools.test_records import (
    error_beside,
    make_pupil,
    make_school,
    page_text,
    text_of,
    upn_for,
    vs_of,
)

pytestmark = pytest.mark.django_db

URL = reverse("schools:pupil_import")
HEADER = ",".join(import_services.IMPORT_COLUMNS)


def csv_file(*rows: str, header: str = HEADER, name: str = "pupils.csv", encoding: str = "utf-8"):
    text = "\r\n".join([header, *rows]) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


GOOD_ROWS = [
    "Amara,Okafor,2015-03-27,,107654,sgo,yes,sen_support,no",
    "Kai,Bennett,12/11/2012,,,Child arrangements order (or residence order),no,,yes",
    f"Poppy,Shaw,2018-01-09,{upn_for('942')},,informal,,ehc_plan,",
]


def upload(client, *rows, **kwargs):
    return client.post(URL, {"file": csv_file(*rows, **kwargs)})


def confirm_token(response) -> str:
    match = re.search(
        r'<input type="hidden" name="token" value="([^"]+)"', response.content.decode()
    )
    return match.group(1) if match else ""


def status_of_row(response, number: int) -> str:
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', response.content.decode(), re.S)
    for row in rows:
        if re.search(rf'<th scope="row" class="govuk-table__header">{number}</th>', row):
            return text_of(row)
    raise AssertionError(f"no row {number}")


def test_a_good_file_is_previewed_then_every_row_is_imported(client, officer):
    vs = vs_of(officer)
    school = make_school(vs, urn="107654")
    client.force_login(officer)
    preview = upload(client, *GOOD_ROWS)
    text = page_text(preview)
    assert "Check your file" in text and "All 3 rows can be imported" in text
    assert "Import 3 pupils" in text and "Nothing has been imported" not in text
    for number in (2, 3, 4):
        assert "Ready" in status_of_row(preview, number)
    assert not KinshipPupil.objects.exists()  # nothing until they confirm
    # The file waits in the session, not in the page.
    assert "Okafor" not in re.sub(r"<table.*</table>", "", preview.content.decode(), flags=re.S)

    response = client.post(URL, {"token": confirm_token(preview)})
    assert response["Location"] == reverse("schools:pupils")
    assert "3 pupils imported" in page_text(client.get(response["Location"]))
    amara = KinshipPupil.objects.get(last_name="Okafor")
    assert (
        amara.school == school
        and amara.previously_looked_after
        and amara.send_status == "sen_support"
    )
    kai = KinshipPupil.objects.get(last_name="Bennett")
    assert kai.date_of_birth == datetime.date(2012, 11, 12) and kai.arrangement == "cao"
    assert kai.social_worker_involved and kai.school is None
    poppy = KinshipPupil.objects.get(last_name="Shaw")
    assert poppy.upn == upn_for("942") and poppy.send_status == "ehc_plan"
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor == officer and "Imported 3 pupils" in entry.summary

    # The same confirmation cannot import the file twice.
    again = client.post(URL, {"token": confirm_token(preview)})
    assert again["Location"] == URL
    assert KinshipPupil.objects.count() == 3


def test_one_bad_row_imports_nothing_and_says_which_row_and_why(client, officer):
    make_school(vs_of(officer), urn="107654")
    client.force_login(officer)
    preview = upload(
        client,
        GOOD_ROWS[0],
        "Kai,Bennett,31/02/2012,,,cao,no,,no",
        ",Shaw,2018-01-09,,999999,guardianship,maybe,,",
    )
    text = page_text(preview)
    assert "Nothing has been imported" in text and "2 rows have errors" in text
    assert "Import 3 pupils" not in text and confirm_token(preview) == ""
    assert "Ready" in status_of_row(preview, 2)
    assert (
        "Row 3: Date of birth “31/02/2012” must be like 2015-03-27 or 27/03/2015"
        in status_of_row(preview, 3)
    )
    row_4 = status_of_row(preview, 4)
    for message in (
        "Row 4: First name is missing",
        "Row 4: Arrangement “guardianship” is not one we know",
        "Row 4: Previously looked after must be yes or no",
        "Row 4: No school with URN 999999 is on your list: add the school first",
    ):
        assert message in row_4
    # No way to import it: a made-up token finds nothing.
    assert client.post(URL, {"token": "made-up"})["Location"] == URL
    assert not KinshipPupil.objects.exists()
    assert not AuditEntry.objects.filter(action="import").exists()


def test_duplicates_in_the_file_and_already_recorded_are_found(client, officer):
    vs = vs_of(officer)
    upn = upn_for("383")
    make_pupil(vs, first_name="Ada", last_name="Lovelace", date_of_birth=datetime.date(2015, 5, 1))
    client.force_login(officer)
    preview = upload(
        client,
        "Amara,Okafor,2015-03-27,,,sgo,,,",
        "amara,OKAFOR,27/03/2015,,,sgo,,,",
        "Ada,Lovelace,2015-05-01,,,cao,,,",
        f"Bo,One,2014-01-01,{upn},,sgo,,,",
        f"Cy,Two,2014-02-02,{upn},,sgo,,,",
    )
    assert "Ready" in status_of_row(preview, 2)
    assert "Row 3: Same name and date of birth as row 2" in status_of_row(preview, 3)
    assert "Row 4: A pupil with this name and date of birth is already recorded" in status_of_row(
        preview, 4
    )
    assert "Row 6: Same UPN as row 5" in status_of_row(preview, 6)
    assert confirm_token(preview) == ""
    assert KinshipPupil.objects.count() == 1


def test_a_pupil_added_between_preview_and_import_stops_the_whole_import(client, officer):
    vs = vs_of(officer)
    make_school(vs, urn="107654")
    client.force_login(officer)
    preview = upload(client, *GOOD_ROWS)
    make_pupil(vs, first_name="Kai", last_name="Bennett", date_of_birth=datetime.date(2012, 11, 12))
    response = client.post(URL, {"token": confirm_token(preview)})
    text = page_text(response)
    assert "Nothing was imported: correct the rows with errors" in text
    assert "Row 3: A pupil with this name and date of birth is already recorded" in status_of_row(
        response, 3
    )
    assert KinshipPupil.objects.count() == 1


@race
def test_a_pupil_added_while_the_import_runs_stops_it_with_the_row_named(
    client, officer, monkeypatch
):
    """Another officer adds one of the file's pupils, on their own connection, after the
    import's own check and before its insert: the database's rule stops the import, and the
    officer sees which row clashes, not an error page."""
    vs = vs_of(officer)
    make_school(vs, urn="107654")
    client.force_login(officer)
    preview = upload(client, *GOOD_ROWS)
    checked = import_services._mark_duplicates

    def another_officer_adds_kai():
        try:
            make_pupil(
                vs, first_name="Kai", last_name="Bennett", date_of_birth=datetime.date(2012, 11, 12)
            )
        finally:
            connection.close()

    def check_then_someone_adds_kai(rows, virtual_school):
        checked(rows, virtual_school)
        monkeypatch.setattr(import_services, "_mark_duplicates", checked)
        other = threading.Thread(target=another_officer_adds_kai)
        other.start()
        other.join(timeout=30)
        assert not other.is_alive()

    monkeypatch.setattr(import_services, "_mark_duplicates", check_then_someone_adds_kai)
    response = client.post(URL, {"token": confirm_token(preview)})
    assert response.status_code == 200
    assert "Nothing was imported: correct the rows with errors" in page_text(response)
    assert "A pupil with this name and date of birth is already recorded" in status_of_row(
        response, 3
    )
    assert list(KinshipPupil.objects.values_list("first_name", flat=True)) == ["Kai"]
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()


@pytest.mark.parametrize(
    ("upload_file", "message"),
    [
        (
            SimpleUploadedFile("pupils.xlsx", b"PK\x03\x04 spreadsheet"),
            "The selected file must be a CSV",
        ),
        (
            SimpleUploadedFile("pupils.csv", b"PK\x03\x04\x00\x00 renamed spreadsheet"),
            "The selected file must be a CSV: in your spreadsheet, choose Save as, then CSV",
        ),
        (
            SimpleUploadedFile("big.csv", (HEADER + "\n").encode() + b"a" * (2 * 1024 * 1024)),
            "The selected file must be smaller than 2MB",
        ),
        (SimpleUploadedFile("empty.csv", b""), "The selected file is empty"),
    ],
)
def test_files_that_are_not_a_csv_are_refused_beside_the_upload(
    client, officer, upload_file, message
):
    client.force_login(officer)
    response = client.post(URL, {"file": upload_file})
    assert error_beside(response, "file") == message
    assert "Check your file" not in page_text(response)


def test_no_file_and_wrong_columns(client, officer):
    client.force_login(officer)
    assert error_beside(client.post(URL, {}), "file") == "Select a CSV file"
    response = upload(client, "Amara,Okafor", header="name,surname")
    text = page_text(response)
    assert (
        "Nothing has been imported" in text
        and "Missing: first_name, last_name, date_of_birth" in text
    )
    assert confirm_token(response) == ""


def test_files_from_excel_are_read_in_utf8_with_bom_or_windows_1252(client, officer):
    client.force_login(officer)
    bom = SimpleUploadedFile(
        "bom.csv", ("\ufeff" + HEADER + "\nZoë,Brontë,2015-03-27,,,sgo,,,\n").encode()
    )
    preview = client.post(URL, {"file": bom})
    assert "Zoë Brontë" in page_text(preview)
    client.post(URL, {"token": confirm_token(preview)})
    cp1252 = csv_file("Chloé,Gaël,2016-04-02,,,cao,,,", encoding="cp1252")
    preview = client.post(URL, {"file": cp1252})
    assert "Chloé Gaël" in page_text(preview)
    client.post(URL, {"token": confirm_token(preview)})
    assert set(KinshipPupil.objects.values_list("first_name", flat=True)) == {"Zoë", "Chloé"}


def test_the_page_explains_the_columns_and_offers_an_example(client, officer):
    client.force_login(officer)
    page = page_text(client.get(URL))
    for column in import_services.IMPORT_COLUMNS:
        assert column in page
    assert "Download an example CSV file" in page
    example = client.get(URL, {"example": "csv"})
    assert example["Content-Disposition"].startswith("attachment")
    body = example.content.decode()
    assert body.startswith("\ufeff" + HEADER)
    # The example itself would import cleanly.
    preview = client.post(URL, {"file": SimpleUploadedFile("example.csv", example.content)})
    assert "All 2 rows can be imported" in page_text(preview)


def test_examples_on_the_import_page_and_in_its_errors_would_import(officer):
    """The column help's examples, and those in the errors a bad row gets, each import cleanly
    when put in that column of an otherwise good row."""
    from schools.views.imports import import_column_help
    from tests.core.test_hint_examples import examples_in

    vs = vs_of(officer)
    good = dict(zip(import_services.IMPORT_COLUMNS, GOOD_ROWS[1].split(","), strict=True))

    def problems(**cells) -> list[str]:
        row = good | cells
        text = "\n".join([HEADER, ",".join(row[c] for c in import_services.IMPORT_COLUMNS)])
        rows, file_errors = import_services.pupil_import_parse(virtual_school=vs, text=text)
        return file_errors + rows[0].errors

    errors = problems(date_of_birth="27.3.15") + problems(upn="B80120000500")
    errors += problems(upn="B80120000500!")
    examples = {column: examples_in(help) for column, help in import_column_help().items()}
    examples["date_of_birth"] += [e for m in errors if "Date" in m for e in examples_in(m)]
    examples["upn"] += [e for m in errors if "UPN" in m for e in examples_in(m)]
    assert len(examples["date_of_birth"]) == 4 and len(examples["upn"]) == 3
    for column, found in examples.items():
        for example in found:
            assert problems(**{column: example}) == [], (column, example)
