"""The Virtual School's records: pupils, termly reviews, liaison, schools, the audit log and the
staff home page, as staff use them at /school/."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from stdnum.gb import upn as stdnum_upn

from schools.models import AuditEntry, KinshipPupil, LiaisonRecord, School, TermlyReview
from schools.services import advice as advice_services
from schools.services import audit as audit_services
from schools.services import records as record_services
from tests.conftest import give_mfa
from tests.factories import (
    CarerProfileFactory,
    ChildFactory,
    StaffMembershipFactory,
    VirtualSchoolFactory,
    local_authority,
)

pytestmark = pytest.mark.django_db

KENT = "E10000016"


# Helpers ------------------------------------------------------------------------------------


def vs_of(user):
    return user.staff_membership.virtual_school


def staff(role: str, virtual_school=None):
    membership = StaffMembershipFactory(
        role=role, **({"virtual_school": virtual_school} if virtual_school else {})
    )
    give_mfa(membership.user)
    return membership.user


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_school(vs, name="Oakwood Primary", urn="", **fields) -> School:
    return record_services.school_save(
        virtual_school=vs,
        name=name,
        urn=urn,
        phase=fields.pop("phase", "primary"),
        local_authority=fields.pop("local_authority", vs.local_authority),
        **fields,
    )


def make_pupil(vs, first_name="Ada", last_name="Lovelace", **fields) -> KinshipPupil:
    values = {
        "date_of_birth": datetime.date(2015, 5, 1),
        "arrangement": "sgo",
        "send_status": "none",
    } | fields
    return KinshipPupil.objects.create(
        virtual_school=vs, first_name=first_name, last_name=last_name, **values
    )


def make_review(
    pupil, academic_year=2025, term="summer", attendance=Decimal("95.0"), **fields
) -> TermlyReview:
    """A review written straight to the database (not through review_save, which audits), so,
    like any such writer, it points the pupil at their latest review afterwards."""
    review = TermlyReview.objects.create(
        pupil=pupil, academic_year=academic_year, term=term, attendance_percent=attendance, **fields
    )
    record_services.refresh_latest_reviews(pupils=KinshipPupil.objects.filter(pk=pupil.pk))
    return review


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def error_beside(response, field: str) -> str:
    """The GOV.UK error message shown beside a field (empty if none)."""
    match = re.search(
        rf'<p id="id_{field}-error" class="govuk-error-message">(.*?)</p>',
        response.content.decode(),
        re.S,
    )
    return text_of(match.group(1)).removeprefix("Error: ") if match else ""


def page_text(response) -> str:
    return text_of(response.content.decode())


def upn_for(la_number: str, rest: str = "123426001") -> str:
    """A well-formed UPN for an LA number, with the right check letter."""
    number = la_number + rest
    return stdnum_upn.calc_check_digit(number) + number


def pupil_post(**overrides) -> dict:
    data = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "date_of_birth_day": "27",
        "date_of_birth_month": "3",
        "date_of_birth_year": "2015",
        "upn": "",
        "school": "",
        "year_group_override": "",
        "arrangement": "sgo",
        "previously_looked_after": "on",
        "send_status": "sen_support",
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# Adding and changing pupils -----------------------------------------------------------------


def test_missing_fields_are_shown_beside_each_field_and_nothing_is_saved(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("schools:pupil_add"),
        pupil_post(
            first_name="",
            last_name="",
            date_of_birth_day="",
            date_of_birth_month="",
            date_of_birth_year="",
            arrangement=None,
        ),
    )
    assert response.status_code == 200
    assert error_beside(response, "first_name") == "Enter the pupil's first name"
    assert error_beside(response, "last_name") == "Enter the pupil's last name"
    assert error_beside(response, "date_of_birth") == "Enter the pupil's date of birth"
    assert error_beside(response, "arrangement").startswith("Choose the kinship arrangement")
    assert "There is a problem" in page_text(response)
    assert not KinshipPupil.objects.exists()
    assert not AuditEntry.objects.filter(action="create").exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2015", "Date of birth must be a real date, like 27 3 2015"),
        ("1", "13", "2015", "Date of birth must be a real date, like 27 3 2015"),
        ("x", "3", "2015", "Date of birth must be a real date, like 27 3 2015"),
        ("27", "", "2015", "Date of birth must include a month"),
        ("1", "1", "2099", "Date of birth must be today or in the past"),
    ],
)
def test_a_date_of_birth_must_be_a_real_date(client, officer, day, month, year, message):
    client.force_login(officer)
    response = client.post(
        reverse("schools:pupil_add"),
        pupil_post(date_of_birth_day=day, date_of_birth_month=month, date_of_birth_year=year),
    )
    assert error_beside(response, "date_of_birth") == message
    # What was typed stays in the boxes.
    assert f'name="date_of_birth_year" type="text" value="{year}"' in response.content.decode()
    assert not KinshipPupil.objects.exists()


@pytest.mark.parametrize(
    ("upn", "message"),
    [
        ("A80120000500", "A UPN has 13 characters, like B801200005001"),
        ("C801200005001", "Check the UPN: the first letter does not match the rest"),
        (
            "A80120000500!",
            "A UPN is a letter, 11 digits and a final digit or letter, like B801200005001",
        ),
        (upn_for("999"), "Check the UPN: 999 is not the number of a local authority in England"),
    ],
)
def test_a_bad_upn_is_an_error_beside_the_upn_and_saves_nothing(client, officer, upn, message):
    client.force_login(officer)
    response = client.post(reverse("schools:pupil_add"), pupil_post(upn=upn))
    assert response.status_code == 200
    assert error_beside(response, "upn") == message
    assert error_beside(response, "first_name") == ""
    assert not KinshipPupil.objects.exists()


def test_a_upn_from_an_authority_created_since_2019_is_accepted(client, officer):
    cumberland = upn_for("942")  # Cumberland, created 2023: not in python-stdnum's own list
    assert not stdnum_upn.is_valid(cumberland)
    client.force_login(officer)
    response = client.post(reverse("schools:pupil_add"), pupil_post(upn=cumberland.lower()))
    pupil = KinshipPupil.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "schools:pupil_detail", args=[pupil.pk]
    )
    assert pupil.upn == cumberland
    assert pupil.date_of_birth == datetime.date(2015, 3, 27)
    assert pupil.previously_looked_after is True and pupil.send_status == "sen_support"
    assert AuditEntry.objects.filter(action="create", object_id=pupil.pk, actor=officer).exists()
    page = client.get(response["Location"])
    assert "Amara Okafor added" in page_text(page)
    assert cumberland in page_text(page)


def test_the_same_pupil_twice_is_refused_beside_the_first_name(client, officer):
    make_pupil(
        vs_of(officer),
        first_name="Amara",
        last_name="Okafor",
        date_of_birth=datetime.date(2015, 3, 27),
    )
    client.force_login(officer)
    response = client.post(reverse("schools:pupil_add"), pupil_post(first_name=" amara "))
    assert error_beside(response, "first_name") == (
        "A pupil with this name and date of birth, or this UPN, is already recorded"
    )
    assert KinshipPupil.objects.count() == 1
    # The same UPN under another name is refused too.
    upn = upn_for("383")  # Leeds
    make_pupil(vs_of(officer), first_name="Bo", upn=upn)
    response = client.post(reverse("schools:pupil_add"), pupil_post(first_name="Cy", upn=upn))
    assert "already recorded" in error_beside(response, "first_name")
    assert KinshipPupil.objects.count() == 2


def test_school_choices_are_only_this_virtual_schools(client, officer):
    own = make_school(vs_of(officer), name="Our Primary")
    kent = VirtualSchoolFactory(local_authority=local_authority(KENT))
    theirs = make_school(kent, name="Kent Primary")
    client.force_login(officer)
    form = client.get(reverse("schools:pupil_add")).content.decode()
    assert "Our Primary" in form and "Kent Primary" not in form
    response = client.post(reverse("schools:pupil_add"), pupil_post(school=str(theirs.pk)))
    assert error_beside(response, "school") == "Choose a school from your list"
    response = client.post(reverse("schools:pupil_add"), pupil_post(school=str(own.pk)))
    assert KinshipPupil.objects.get().school == own


def test_changing_a_pupil_is_saved_and_audited(client, officer):
    pupil = make_pupil(vs_of(officer))
    client.force_login(officer)
    form = client.get(reverse("schools:pupil_edit", args=[pupil.pk]))
    assert (
        'value="Ada"' in form.content.decode()
        and 'name="date_of_birth_day" type="text" value="1"' in form.content.decode()
    )
    response = client.post(
        reverse("schools:pupil_edit", args=[pupil.pk]),
        pupil_post(
            first_name="Ada",
            last_name="Lovelace",
            date_of_birth_day="1",
            date_of_birth_month="5",
            year_group_override="5",
            year_group_confirmed="on",  # not their age group (tests/schools/test_pupil_form.py)
            send_status="ehc_plan",
        ),
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.send_status == "ehc_plan" and pupil.year_group_override == "5"
    entry = AuditEntry.objects.get(action="update", object_id=pupil.pk)
    assert "SEND" in entry.summary
    assert "Ada Lovelace's record updated" in page_text(client.get(response["Location"]))


# Read-only staff ----------------------------------------------------------------------------


def test_read_only_staff_get_403_on_every_editor_page_and_see_no_edit_buttons(officer):
    vs = vs_of(officer)
    reader = staff("read_only", vs)
    school = make_school(vs)
    pupil = make_pupil(vs, school=school)
    review = make_review(pupil)
    record = record_services.liaison_save(
        virtual_school=vs,
        actor=officer,
        pupil=pupil,
        school=school,
        contact_type="call",
        contact_date=datetime.date(2026, 1, 5),
        summary="Called the DT",
        follow_up_on=datetime.date(2026, 1, 6),
    )
    client = login(reader)
    editor_pages = [
        reverse("schools:pupil_add"),
        reverse("schools:pupil_import"),
        reverse("schools:pupils_export"),
        reverse("schools:pupil_edit", args=[pupil.pk]),
        reverse("schools:pupil_link", args=[pupil.pk]),
        reverse("schools:review_add", args=[pupil.pk]),
        reverse("schools:review_edit", args=[review.pk]),
        reverse("schools:liaison_add"),
        reverse("schools:liaison_edit", args=[record.pk]),
        reverse("schools:liaison_done", args=[record.pk]),
        reverse("schools:school_add"),
        reverse("schools:school_edit", args=[school.pk]),
    ]
    for url in editor_pages:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"summary": "x", "first_name": "x"}).status_code == 403, url
    assert client.get(reverse("schools:audit")).status_code == 403  # heads only
    record.refresh_from_db()
    assert record.follow_up_done is False and KinshipPupil.objects.count() == 1
    assert not AuditEntry.objects.filter(action="export").exists()

    # They can read everything, with no buttons that would only give them a 403.
    pages = {
        reverse("schools:pupils"): ["Add a pupil", "Import from a spreadsheet", "Download as CSV"],
        reverse("schools:pupil_detail", args=[pupil.pk]): [
            "Add a termly review",
            "Log a liaison contact",
            "Change the record",
            "Link carer record",
        ],
        reverse("schools:liaison"): ["Log a contact", "Mark follow-up done"],
        reverse("schools:schools"): ["Add a school"],
    }
    for url, buttons in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        text = page_text(response)
        for button in buttons:
            assert button not in text, (url, button)
        assert "/edit/" not in response.content.decode(), url
    assert "Ada Lovelace" in page_text(client.get(reverse("schools:pupils")))
    # An officer sees them all.
    officer_client = login(officer)
    for url, buttons in pages.items():
        text = page_text(officer_client.get(url))
        for button in buttons:
            assert button in text, (url, button)


# The pupil page -----------------------------------------------------------------------------


def test_the_pupil_page_shows_the_record_and_every_view_is_audited(client, officer, head):
    vs = vs_of(officer)
    school = make_school(
        vs,
        urn="107654",
        designated_teacher_name="Ms Rivers",
        designated_teacher_email="dt@example.org",
    )
    pupil = make_pupil(vs, school=school, previously_looked_after=True, social_worker_involved=True)
    make_review(pupil, 2025, "autumn", Decimal("96.5"))
    make_review(
        pupil, 2025, "spring", Decimal("88.0"), sessions_missed=22, suspensions=1, reading="below"
    )
    make_review(pupil, 2025, "summer", Decimal("45.0"), sessions_missed=70)
    record_services.liaison_save(
        virtual_school=vs,
        actor=officer,
        pupil=pupil,
        school=school,
        contact_type="meeting",
        contact_date=datetime.date(2026, 2, 1),
        summary="Attendance meeting with the DT",
    )
    client.force_login(officer)
    response = client.get(reverse("schools:pupil_detail", args=[pupil.pk]))
    text = page_text(response)
    assert "Oakwood Primary (URN 107654)" in text and "Designated teacher: Ms Rivers" in text
    assert "Yes: the school can claim Pupil Premium Plus" in text
    assert "Carer's record Not linked" in text
    assert "Special guardianship order" in text
    # Newest review first, with absence tags.
    assert (
        text.index("Summer 2025 to 2026")
        < text.index("Spring 2025 to 2026")
        < text.index("Autumn 2025 to 2026")
    )
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", response.content.decode(), re.S)
    summer = text_of(next(r for r in rows if "Summer 2025" in r))
    spring = text_of(next(r for r in rows if "Spring 2025" in r))
    autumn = text_of(next(r for r in rows if "Autumn 2025" in r))
    assert "Persistent absence" in summer and "Severe absence" in summer
    assert (
        "Persistent absence" in spring
        and "Severe absence" not in spring
        and "Below expected" in spring
    )
    assert "absence" not in autumn
    assert "Attendance meeting with the DT" in text
    assert f'href="{reverse("schools:liaison_add")}?pupil={pupil.pk}"' in response.content.decode()

    views = AuditEntry.objects.filter(action="view", object_id=pupil.pk)
    assert views.count() == 1 and views.get().actor == officer
    client.get(reverse("schools:pupil_detail", args=[pupil.pk]))
    assert views.count() == 2
    # The head sees who looked, in the audit log.
    audit = page_text(login(head).get(reverse("schools:audit")))
    assert "Viewed Ada Lovelace" in audit and officer.get_full_name() in audit


def test_list_query_count_is_the_same_for_3_and_30_pupils(
    client, officer, django_assert_num_queries
):
    vs = vs_of(officer)
    client.force_login(officer)
    url = reverse("schools:pupils") + "?send=any&arrangement=sgo"
    client.get(url)  # the first request after signing in also writes the session

    def fill(count):
        schools = [make_school(vs, name=f"School {n}") for n in range(3)]
        for n in range(KinshipPupil.objects.count(), count):
            pupil = make_pupil(
                vs, first_name=f"P{n}", school=schools[n % 3], send_status="sen_support"
            )
            make_review(pupil, 2024, "summer", Decimal("85"))
            make_review(pupil, 2025, "autumn", Decimal("97"))

    # session, user, membership with Virtual School and council (read once, by the MFA
    # middleware) and their MFA, school choices, count, the page of pupils with their latest
    # attendance, and the audit entry saying who viewed the list
    fill(3)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(re.findall(r'href="/school/pupils/\d+/"', response.content.decode())) == 3
    fill(30)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert "30 pupils" in page_text(response)
    assert (
        len(re.findall(r'href="/school/pupils/\d+/"', response.content.decode())) == 25
    )  # 25 a page


def test_pupil_page_query_count_is_the_same_for_3_and_30_reviews(
    client, officer, django_assert_num_queries
):
    vs = vs_of(officer)
    school = make_school(vs)
    pupil = make_pupil(
        vs,
        school=school,
        child=ChildFactory(
            carer=CarerProfileFactory(local_authority=vs.local_authority),
            shares_with_virtual_school=True,
        ),
    )
    client.force_login(officer)
    url = reverse("schools:pupil_detail", args=[pupil.pk])
    client.get(url)

    def fill(count):
        for n in range(TermlyReview.objects.count(), count):
            make_review(
                pupil, 2000 + n // 3, ["autumn", "spring", "summer"][n % 3], Decimal(80 + n % 20)
            )
            record_services.liaison_save(
                virtual_school=vs,
                actor=officer,
                pupil=pupil,
                school=school,
                contact_type="call",
                contact_date=datetime.date(2025, 1, 1 + n),
                summary=f"Call {n}",
            )

    # session, user, membership with Virtual School and council (read once, by the MFA
    # middleware) and their MFA, the pupil with school and carer, reviews, liaison records,
    # the audit entry
    fill(3)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert "Call 2" in page_text(response)
    fill(30)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert "Call 29" in page_text(response) and "Summer 2009 to 2010" in page_text(response)


# Year groups and filters --------------------------------------------------------------------


def _row_for(response, name: str) -> str:
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", response.content.decode(), re.S)
    return text_of(next(r for r in rows if name in r))


def test_year_group_is_derived_across_1_september_and_the_override_wins(
    client, officer, time_machine
):
    vs = vs_of(officer)
    make_pupil(vs, first_name="Summer", last_name="Born", date_of_birth=datetime.date(2015, 8, 31))
    make_pupil(vs, first_name="Autumn", last_name="Born", date_of_birth=datetime.date(2015, 9, 1))
    make_pupil(
        vs,
        first_name="Held",
        last_name="Back",
        date_of_birth=datetime.date(2015, 8, 31),
        year_group_override="5",
    )

    time_machine.move_to(datetime.datetime(2026, 8, 31, 12, 0, tzinfo=datetime.UTC))
    client.force_login(officer)
    response = client.get(reverse("schools:pupils"))
    assert "Year 6" in _row_for(response, "Summer Born")  # the youngest in Year 6 in 2025 to 2026
    assert "Year 5" in _row_for(response, "Autumn Born")  # the oldest in Year 5
    assert "Year 5" in _row_for(response, "Held Back")
    year_5 = page_text(client.get(reverse("schools:pupils") + "?year_group=5"))
    assert "Autumn Born" in year_5 and "Held Back" in year_5 and "Summer Born" not in year_5

    time_machine.move_to(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC))
    client.logout()  # the staff session ended while idle overnight
    client.force_login(officer)
    response = client.get(reverse("schools:pupils"))
    assert "Year 7" in _row_for(response, "Summer Born")
    assert "Year 6" in _row_for(response, "Autumn Born")
    assert "Year 5" in _row_for(response, "Held Back")  # staff set it, so it does not move
    year_5 = page_text(client.get(reverse("schools:pupils") + "?year_group=5"))
    assert "Held Back" in year_5 and "1 pupil" in year_5
    year_6 = page_text(client.get(reverse("schools:pupils") + "?year_group=6"))
    assert "Autumn Born" in year_6 and "1 pupil" in year_6
    year_7 = page_text(client.get(reverse("schools:pupils") + "?year_group=7"))
    assert "Summer Born" in year_7 and "Held Back" not in year_7 and "1 pupil" in year_7


def test_filters_and_search_combine(client, officer):
    vs = vs_of(officer)
    oak, elm = make_school(vs, name="Oak Primary"), make_school(vs, name="Elm Primary")
    wanted = make_pupil(
        vs, first_name="Wanted", last_name="Match", school=oak, send_status="ehc_plan"
    )
    make_review(wanted, 2025, "autumn", Decimal("99"))
    make_review(wanted, 2025, "spring", Decimal("84.5"))  # the latest review counts
    better_now = make_pupil(
        vs, first_name="Better", last_name="Now", school=oak, send_status="ehc_plan"
    )
    make_review(better_now, 2025, "autumn", Decimal("70"))
    make_review(better_now, 2025, "spring", Decimal("96"))
    other_school = make_pupil(
        vs, first_name="Other", last_name="School", school=elm, send_status="ehc_plan"
    )
    make_review(other_school, 2025, "spring", Decimal("80"))
    no_send = make_pupil(vs, first_name="No", last_name="Send", school=oak)
    make_review(no_send, 2025, "spring", Decimal("80"))
    make_pupil(vs, first_name="Never", last_name="Reviewed", school=oak, send_status="sen_support")

    client.force_login(officer)
    response = client.get(
        reverse("schools:pupils"),
        {"school": oak.pk, "send": "ehc_plan", "persistent_absence": "on"},
    )
    text = page_text(response)
    assert "1 pupil" in text and "Wanted Match" in text
    for name in ("Better Now", "Other School", "No Send", "Never Reviewed"):
        assert name not in text
    assert "84.5% Persistent absence" in text
    assert "Clear filters" in text
    # The CSV download link keeps the filters.
    assert (
        f"/school/pupils/export.csv?school={oak.pk}&amp;send=ehc_plan&amp;persistent_absence=on"
        in response.content.decode()
    )

    any_send = page_text(client.get(reverse("schools:pupils"), {"school": oak.pk, "send": "any"}))
    assert "3 pupils" in any_send and "No Send" not in any_send
    by_name = page_text(client.get(reverse("schools:pupils"), {"q": "wanted mat"}))
    assert "1 pupil" in by_name and "Wanted Match" in by_name
    upn = upn_for("383")
    make_pupil(vs, first_name="By", last_name="Upn", upn=upn)
    by_upn = page_text(client.get(reverse("schools:pupils"), {"q": upn.lower()}))
    assert "1 pupil" in by_upn and "By Upn" in by_upn
    bad = client.get(reverse("schools:pupils"), {"year_group": "99"})
    assert error_beside(bad, "year_group") == "Choose year group from the list"


def test_pagination_keeps_the_filters(client, officer):
    vs = vs_of(officer)
    for n in range(30):
        make_pupil(vs, first_name=f"Pupil{n:02d}", arrangement="cao")
    make_pupil(vs, first_name="Different", arrangement="sgo")
    client.force_login(officer)
    first = client.get(reverse("schools:pupils"), {"arrangement": "cao"})
    assert "30 pupils" in page_text(first)
    assert "?arrangement=cao&amp;page=2" in first.content.decode()
    second = page_text(client.get(reverse("schools:pupils"), {"arrangement": "cao", "page": 2}))
    assert "Pupil29" in second and "Pupil00" not in second and "Different" not in second


def test_pupil_csv_export_is_audited_and_safe_in_a_spreadsheet(client, officer):
    vs = vs_of(officer)
    make_pupil(
        vs, first_name='=HYPERLINK("http://evil")', last_name="@Smith", notes="+44 7700 900000"
    )
    zoe = make_pupil(vs, first_name="Zoë", last_name="Brontë", school=make_school(vs, urn="107654"))
    make_review(zoe, attendance=Decimal("79.4"))
    make_review(make_pupil(vs, first_name="Full"), attendance=Decimal("100"))
    client.force_login(officer)
    response = client.get(reverse("schools:pupils_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffFirst name,Last name,Date of birth,UPN,Year group")
    assert "'=HYPERLINK" in body and ",'@Smith," in body and "'+44 7700 900000" in body
    assert (
        "Zoë,Brontë,2015-05-01" in body
        and "Oakwood Primary,107654,Special guardianship order" in body
    )
    # Attendance to one decimal place, as people write it (not 79.4000000000000); no
    # review yet is an empty cell; booleans read Yes or No.
    rows = {row[0]: row for row in csv.reader(io.StringIO(body.lstrip("\ufeff")))}
    attendance = rows["First name"].index("Latest attendance (%)")
    assert rows["Zoë"][attendance] == "79.4"
    assert rows["Full"][attendance] == "100.0"
    assert rows['\'=HYPERLINK("http://evil")'][attendance] == ""
    assert rows["Zoë"][rows["First name"].index("Previously looked after")] == "No"
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == officer and "(3 rows)" in entry.summary


# Reviews ------------------------------------------------------------------------------------


def review_post(**overrides) -> dict:
    data = {
        "academic_year": "2025",
        "term": "spring",
        "attendance_percent": "88.5",
        "sessions_missed": "14",
        "suspensions": "1",
        "reading": "below",
        "writing": "expected",
        "maths": "not_assessed",
        "progress_notes": "Settling in",
        "agreed_actions": "DT to call carer weekly",
    }
    return data | overrides


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "Attendance must be a number from 0 to 100"),
        ("-1", "Attendance must be a number from 0 to 100"),
        ("ninety", "Attendance must be a number from 0 to 100"),
        ("92.55", "Attendance must have no more than 1 decimal place, like 92.5"),
        ("", "Enter the pupil's attendance this term"),
    ],
)
def test_review_attendance_must_be_a_percentage(client, officer, time_machine, value, message):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC))
    pupil = make_pupil(vs_of(officer))
    client.force_login(officer)
    response = client.post(
        reverse("schools:review_add", args=[pupil.pk]), review_post(attendance_percent=value)
    )
    assert error_beside(response, "attendance_percent") == message
    assert not TermlyReview.objects.exists()


def test_adding_and_changing_a_review(client, officer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC))
    pupil = make_pupil(vs_of(officer))
    client.force_login(officer)
    form = client.get(reverse("schools:review_add", args=[pupil.pk])).content.decode()
    # This academic year and the two before, this one chosen; this term chosen.
    assert re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', form)[:3] == [
        ("2025", "2025 to 2026"),
        ("2024", "2024 to 2025"),
        ("2023", "2023 to 2024"),
    ]
    assert '<option value="2025" selected>' in form
    assert 'value="spring" checked' in form

    response = client.post(reverse("schools:review_add", args=[pupil.pk]), review_post())
    assert response.status_code == 302
    review = TermlyReview.objects.get()
    assert review.attendance_percent == Decimal("88.5") and review.created_by == officer
    page = page_text(client.get(response["Location"]))
    assert "Review added" in page and "88.5% Persistent absence" in page
    assert AuditEntry.objects.filter(
        action="create", object_id=pupil.pk, summary__contains="spring 2025"
    ).exists()

    duplicate = client.post(
        reverse("schools:review_add", args=[pupil.pk]), review_post(attendance_percent="99")
    )
    assert (
        error_beside(duplicate, "term")
        == "There is already a review for this term. Change that review instead."
    )
    assert TermlyReview.objects.count() == 1

    edit = client.get(reverse("schools:review_edit", args=[review.pk])).content.decode()
    assert 'value="88.5"' in edit
    client.post(
        reverse("schools:review_edit", args=[review.pk]), review_post(attendance_percent="93")
    )
    review.refresh_from_db()
    assert review.attendance_percent == Decimal("93.0")
    assert "Persistent absence" not in page_text(
        client.get(reverse("schools:pupil_detail", args=[pupil.pk]))
    )


# Liaison ------------------------------------------------------------------------------------


def test_logging_liaison_and_marking_a_follow_up_done(client, officer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC))
    vs = vs_of(officer)
    school = make_school(vs, name="Oak Primary")
    pupil = make_pupil(vs, school=school)
    client.force_login(officer)
    form = client.get(reverse("schools:liaison_add") + f"?pupil={pupil.pk}").content.decode()
    assert (
        f'<option value="{pupil.pk}" selected>' in form
        and f'<option value="{school.pk}" selected>' in form
    )
    assert 'name="contact_date_year" type="text" value="2026"' in form  # today, by default

    missing = client.post(reverse("schools:liaison_add"), {"contact_type": "call"})
    assert error_beside(missing, "summary") == "Enter a summary of the contact"
    assert error_beside(missing, "contact_date") == "Enter the date of the contact"
    early = client.post(
        reverse("schools:liaison_add"),
        {
            "contact_type": "call",
            "summary": "x",
            "contact_date_day": "10",
            "contact_date_month": "11",
            "contact_date_year": "2026",
            "follow_up_on_day": "1",
            "follow_up_on_month": "11",
            "follow_up_on_year": "2026",
        },
    )
    assert (
        error_beside(early, "follow_up_on")
        == "Follow-up date must be on or after the date of contact"
    )
    assert not LiaisonRecord.objects.exists()

    response = client.post(
        reverse("schools:liaison_add"),
        {
            "school": school.pk,
            "pupil": pupil.pk,
            "contact_type": "call",
            "summary": "Talked about attendance",
            "contact_date_day": "10",
            "contact_date_month": "11",
            "contact_date_year": "2026",
            "follow_up_on_day": "17",
            "follow_up_on_month": "11",
            "follow_up_on_year": "2026",
        },
    )
    assert response["Location"] == reverse("schools:pupil_detail", args=[pupil.pk]) + "#liaison"
    record = LiaisonRecord.objects.get()
    assert record.created_by == officer and record.follow_up_on == datetime.date(2026, 11, 17)
    general = client.post(
        reverse("schools:liaison_add"),
        {
            "school": school.pk,
            "contact_type": "training",
            "summary": "Training for all staff",
            "contact_date_day": "12",
            "contact_date_month": "11",
            "contact_date_year": "2026",
        },
    )
    assert general["Location"] == reverse("schools:liaison")

    log = page_text(client.get(reverse("schools:liaison")))
    # Newest first.
    assert log.index("Training for all staff") < log.index("Talked about attendance")
    due = page_text(client.get(reverse("schools:liaison"), {"show": "due"}))
    assert "1 record" in due and "Talked about attendance" in due and "Due" in due
    home = client.get(reverse("schools:home")).content.decode()
    assert reverse("schools:liaison_edit", args=[record.pk]) in home

    confirm = client.get(reverse("schools:liaison_done", args=[record.pk]))
    assert "Mark the follow-up as done?" in page_text(confirm)
    done = client.post(
        reverse("schools:liaison_done", args=[record.pk]), {"next": "https://evil.example/"}
    )
    assert done["Location"] == reverse("schools:liaison")  # never off-site
    record.refresh_from_db()
    assert record.follow_up_done is True
    assert "0 records" in page_text(client.get(reverse("schools:liaison"), {"show": "due"}))
    assert (
        reverse("schools:liaison_edit", args=[record.pk])
        not in client.get(reverse("schools:home")).content.decode()
    )

    edit = client.post(
        reverse("schools:liaison_edit", args=[record.pk]),
        {
            "school": school.pk,
            "pupil": pupil.pk,
            "contact_type": "email",
            "summary": "Emailed instead",
            "contact_date_day": "10",
            "contact_date_month": "11",
            "contact_date_year": "2026",
        },
    )
    assert edit.status_code == 302
    record.refresh_from_db()
    assert record.contact_type == "email" and record.follow_up_on is None


# Schools ------------------------------------------------------------------------------------


def test_adding_and_changing_schools(client, officer):
    vs = vs_of(officer)
    client.force_login(officer)
    data = {
        "name": "Oak Primary",
        "urn": "12345",
        "phase": "primary",
        "local_authority": local_authority(KENT).pk,
        "designated_teacher_name": "Ms Rivers",
        "designated_teacher_email": "not-an-email",
    }
    response = client.post(reverse("schools:school_add"), data)
    assert error_beside(response, "urn") == "URN must be 6 digits, like 107654"
    assert error_beside(response, "designated_teacher_email") == (
        "Enter an email address in the correct format, like name@example.com"
    )
    assert not School.objects.exists()
    response = client.post(
        reverse("schools:school_add"),
        data | {"urn": "107654", "designated_teacher_email": "dt@example.org"},
    )
    assert response["Location"] == reverse("schools:schools")
    school = School.objects.get()
    assert school.virtual_school == vs and school.local_authority.gss_code == KENT

    again = client.post(
        reverse("schools:school_add"),
        data | {"name": "Oak Again", "urn": "107654", "designated_teacher_email": ""},
    )
    assert error_beside(again, "urn") == "A school with this URN is already on your list"
    assert School.objects.count() == 1

    listing = page_text(client.get(reverse("schools:schools")))
    assert "Oak Primary 107654 Primary Kent Ms Rivers dt@example.org 0" in listing
    form = client.get(reverse("schools:school_edit", args=[school.pk])).content.decode()
    assert 'value="107654"' in form
    client.post(
        reverse("schools:school_edit", args=[school.pk]),
        data | {"urn": "", "designated_teacher_email": ""},
    )
    school.refresh_from_db()
    assert school.urn == "" and school.name == "Oak Primary"
    # A new school defaults to this authority.
    new = client.get(reverse("schools:school_add")).content.decode()
    assert f'<option value="{vs.local_authority.pk}" selected>' in new


# Linking the carer's record -----------------------------------------------------------------


def test_linking_lists_only_children_shared_by_carers_in_this_authority(client, officer):
    vs = vs_of(officer)
    pupil = make_pupil(vs)
    local = CarerProfileFactory(
        local_authority=vs.local_authority, user__first_name="Jane", user__last_name="Carer"
    )
    shared = ChildFactory(
        carer=local,
        first_name="Amara",
        year_of_birth=2015,
        school_name="Oak Primary",
        shares_with_virtual_school=True,
    )
    ChildFactory(carer=local, first_name="Private", shares_with_virtual_school=False)
    elsewhere = CarerProfileFactory(local_authority=local_authority(KENT))
    ChildFactory(carer=elsewhere, first_name="Kentish", shares_with_virtual_school=True)
    taken = ChildFactory(carer=local, first_name="Taken", shares_with_virtual_school=True)
    make_pupil(vs, first_name="Other", child=taken)

    client.force_login(officer)
    url = reverse("schools:pupil_link", args=[pupil.pk])
    text = page_text(client.get(url))
    assert "Amara, born 2015" in text and "School: Oak Primary · Carer: Jane Carer" in text
    for name in ("Private", "Kentish", "Taken"):
        assert name not in text
    nothing = client.post(url, {})
    assert error_beside(nothing, "child") == "Choose the carer's record of this child"
    not_offered = client.post(url, {"child": taken.pk})
    assert error_beside(not_offered, "child") == "Choose a child from the list"
    response = client.post(url, {"child": shared.pk})
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.child == shared
    page = page_text(client.get(response["Location"]))
    assert "Linked: Amara, born 2015, cared for by Jane Carer" in page
    assert AuditEntry.objects.filter(
        action="update", object_id=pupil.pk, summary__contains="Linked"
    ).exists()


# The audit log and the home page ------------------------------------------------------------


def test_the_audit_log_is_for_heads_newest_first_and_paginated(client, officer, head):
    vs = vs_of(head)
    pupil = make_pupil(vs)
    for _ in range(55):
        audit_services.pupil_viewed(pupil=pupil, actor=officer)
    audit_services.pupils_exported(virtual_school=vs, actor=head, count=1, what="pupil list")
    kent = VirtualSchoolFactory(local_authority=local_authority(KENT))
    audit_services.audit_record(actor=head, virtual_school=kent, action="view", summary="Kent only")
    assert login(officer).get(reverse("schools:audit")).status_code == 403
    client.force_login(head)
    response = client.get(reverse("schools:audit"))
    text = page_text(response)
    assert "56 entries" in text and "Kent only" not in text
    assert text.index("Exported pupil list (1 rows)") < text.index("Viewed Ada Lovelace")
    assert text.count("Viewed Ada Lovelace") == 49  # 50 a page
    assert "Viewed Ada Lovelace" in page_text(client.get(reverse("schools:audit"), {"page": 2}))
    assert "<form" not in response.content.decode().split('id="main-content"')[1]  # nothing to edit


def test_the_home_page_shows_what_needs_doing(client, officer, head, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC))
    vs = vs_of(officer)
    school = make_school(vs, name="Oak Primary")
    worrying = make_pupil(vs, first_name="Worrying", last_name="Attendance", school=school)
    make_review(worrying, 2026, "autumn", Decimal("72.5"))
    fine = make_pupil(vs, first_name="Fine", last_name="Attendance")
    make_review(fine, 2026, "autumn", Decimal("98"))
    record = record_services.liaison_save(
        virtual_school=vs,
        actor=officer,
        school=school,
        contact_type="call",
        contact_date=datetime.date(2026, 11, 1),
        summary="Chase the PEP",
        follow_up_on=datetime.date(2026, 11, 19),
    )
    carer = CarerProfileFactory(local_authority=vs.local_authority).user
    advice = advice_services.advice_request_create(
        carer=carer, topic="attendance", message="Help please"
    )

    client.force_login(officer)
    response = client.get(reverse("schools:home"))
    body = response.content.decode()
    text = page_text(response)
    assert (
        reverse("schools:liaison_edit", args=[record.pk]) in body
        and "Follow up by Thursday 19 November 2026" in text
    )
    assert reverse("schools:advice_detail", args=[advice.pk]) in body
    assert "Worrying Attendance Oak Primary 72.5% Persistent absence" in text
    assert (
        reverse("schools:pupil_detail", args=[worrying.pk]) in body
        and "Fine Attendance" not in text
    )
    for name in ("pupils", "liaison", "schools", "reports", "advice_inbox", "staff"):
        assert f'href="{reverse("schools:" + name)}"' in body, name
    assert reverse("schools:audit") not in body  # heads only
    assert reverse("schools:audit") in login(head).get(reverse("schools:home")).content.decode()


def test_the_home_page_shows_the_ten_most_urgent_and_links_to_the_rest(
    client, officer, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC))
    vs = vs_of(officer)
    school = make_school(vs, name="Oak Primary")
    for day in range(1, 13):  # 12 follow-ups due, the oldest first on 1 November
        record_services.liaison_save(
            virtual_school=vs,
            actor=officer,
            school=school,
            contact_type="call",
            contact_date=datetime.date(2026, 10, day),
            summary=f"Chase number {day}",
            follow_up_on=datetime.date(2026, 11, day),
        )
    client.force_login(officer)
    response = client.get(reverse("schools:home"))
    text = page_text(response)
    # The ten due longest ago, the oldest first.
    assert re.findall(r"Chase number (\d+)", text) == [str(day) for day in range(1, 11)]
    link = html.escape(reverse("schools:liaison") + "?show=due")
    assert f'href="{link}"' in response.content.decode()
    assert "See all follow-ups due" in text
    # All 12 are in the liaison log's view of follow-ups due.
    assert (
        page_text(client.get(reverse("schools:liaison"), {"show": "due"})).count("Chase number")
        == 12
    )
    assert "See all advice requests waiting for a reply" not in text  # none waiting
    for n in range(11):  # 11 advice requests waiting
        carer = CarerProfileFactory(local_authority=vs.local_authority).user
        advice_services.advice_request_create(carer=carer, topic="attendance", message=f"Help {n}")
    response = client.get(reverse("schools:home"))
    assert page_text(response).count("Not assigned") == 10
    assert f'href="{reverse("schools:advice_inbox")}">See all advice requests' in (
        response.content.decode()
    )

    # With 10 due exactly, there is nothing more to see.
    LiaisonRecord.objects.filter(summary__in=["Chase number 11", "Chase number 12"]).delete()
    assert "See all follow-ups due" not in page_text(client.get(reverse("schools:home")))


def test_every_page_renders(officer, head):
    vs = vs_of(officer)
    school = make_school(vs, urn="107654")
    pupil = make_pupil(vs, school=school)
    review = make_review(pupil)
    record = record_services.liaison_save(
        virtual_school=vs,
        actor=officer,
        pupil=pupil,
        contact_type="visit",
        contact_date=datetime.date(2026, 1, 5),
        summary="Visit",
        follow_up_on=datetime.date(2026, 1, 9),
    )
    pages = [
        ("home", []),
        ("pupils", []),
        ("pupil_add", []),
        ("pupil_import", []),
        ("pupil_detail", [pupil.pk]),
        ("pupil_edit", [pupil.pk]),
        ("pupil_link", [pupil.pk]),
        ("review_add", [pupil.pk]),
        ("review_edit", [review.pk]),
        ("liaison", []),
        ("liaison_add", []),
        ("liaison_edit", [record.pk]),
        ("liaison_done", [record.pk]),
        ("schools", []),
        ("school_add", []),
        ("school_edit", [school.pk]),
        ("reports", []),
        ("audit", []),
    ]
    client = login(head)
    for name, args in pages:
        response = client.get(reverse(f"schools:{name}", args=args))
        assert response.status_code == 200, name
        assert "<h1" in response.content.decode(), name
