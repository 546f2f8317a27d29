"""The Virtual School's home page as its staff see it each morning: who is signed in, what is
overdue, how to reach the Virtual School, and the staff menu in the header."""

import datetime
import re

import pytest
from django.urls import reverse

from schools.services import records as record_services
from tests.conftest import give_mfa
from tests.factories import StaffMembershipFactory, UserFactory
from tests.schools.test_records import login, make_school, page_text, text_of, vs_of

pytestmark = pytest.mark.django_db


def _header(response) -> str:
    return re.search(r"<header.*?</header>", response.content.decode(), re.S).group(0)


@pytest.mark.parametrize(
    ("role", "said"),
    [
        ("officer", "Virtual School officer"),
        ("head", "Virtual School head"),
        ("read_only", "Virtual School staff (read only)"),
    ],
)
def test_the_home_page_says_who_is_signed_in_and_in_what_role(role, said):
    user = UserFactory(first_name="Priya", last_name="Shah")
    StaffMembershipFactory(user=user, role=role)
    give_mfa(user)
    assert f"Signed in as Priya Shah, {said}." in page_text(
        login(user).get(reverse("schools:home"))
    )


def test_someone_without_a_name_is_named_by_their_address_and_in_welsh_too(officer):
    officer.first_name = officer.last_name = ""
    officer.email = "priya.shah@leeds.example"
    officer.save()
    client = login(officer)
    body = client.get(reverse("schools:home")).content.decode()
    assert "Signed in as priya.<wbr>shah@<wbr>leeds.<wbr>example, Virtual School officer." in body
    welsh = text_of(client.get("/cy/school/").content.decode().replace("<wbr>", ""))
    assert "Wedi mewngofnodi fel priya.shah@leeds.example, Swyddog yr Ysgol Rithwir." in welsh


def test_overdue_follow_ups_are_flagged_and_come_first_the_oldest_first(officer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC))
    vs = vs_of(officer)
    school = make_school(vs, name="Oak Primary")
    for summary, due in [
        ("Due tomorrow", datetime.date(2026, 12, 1)),
        ("Due today", datetime.date(2026, 11, 30)),
        ("Due yesterday", datetime.date(2026, 11, 29)),
        ("Due last week", datetime.date(2026, 11, 23)),
    ]:
        record_services.liaison_save(
            virtual_school=vs,
            actor=officer,
            school=school,
            contact_type="call",
            contact_date=datetime.date(2026, 11, 2),
            summary=summary,
            follow_up_on=due,
        )
    response = login(officer).get(reverse("schools:home"))
    items = re.findall(
        r"<li>(.*?)</li>",
        response.content.decode().split('id="follow-ups"')[1].split("</ul>")[0],
        re.S,
    )
    shown = [text_of(item) for item in items]
    assert shown == [
        "Overdue Phone call with Oak Primary Follow up by Monday 23 November 2026: Due last week",
        "Overdue Phone call with Oak Primary Follow up by Sunday 29 November 2026: Due yesterday",
        "Phone call with Oak Primary Follow up by Monday 30 November 2026: Due today",
    ]
    assert all('<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in i for i in items[:2])


def test_the_contact_details_let_an_email_address_wrap_only_after_at_and_dots(officer):
    vs = vs_of(officer)
    vs.email = "virtual.school@leeds.example"
    vs.phone = "0113 378 5000"
    vs.save()
    body = login(officer).get(reverse("schools:home")).content.decode()
    details = body.split('id="contact-details"')[1].split("</dl>")[0]
    assert "virtual.<wbr>school@<wbr>leeds.<wbr>example" in details
    assert "0113 378 5000" in details


def test_staff_have_a_menu_with_their_account_and_two_factor_settings(officer, content_admin):
    password, two_factor = reverse("account_change_password"), reverse("mfa_index")
    for user, page in [
        (officer, reverse("schools:home")),
        (officer, reverse("resources:list")),
        (content_admin, reverse("portal:home")),
    ]:
        header = _header(login(user).get(page))
        assert f'href="{password}">Change your password</a>' in header, (user, page)
        assert f'href="{two_factor}">Two-factor authentication</a>' in header, (user, page)
    welsh = _header(login(officer).get("/cy/school/"))
    assert 'href="/cy/accounts/2fa/">Dilysu dau gam</a>' in welsh


def test_carers_have_no_staff_menu(carer_client):
    for page in (reverse("portal:dashboard"), reverse("resources:list")):
        header = _header(carer_client.get(page))
        assert reverse("mfa_index") not in header
        assert reverse("account_change_password") not in header
        assert "Sign out" in header  # the account links are there, just not the staff ones
