"""From an advice thread about a child, staff add the child as a kinship pupil (filled in with
only what the carer agreed to share on the request) or link the request to an existing pupil."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schools.models import AdviceRequest, AuditEntry, KinshipPupil, StaffMembership
from schools.services import SchoolError
from schools.services import advice as advice_services
from schools.services import records as record_services
from tests.conftest import give_mfa
from tests.factories import (
    ChildFactory,
    StaffMembershipFactory,
    UserFactory,
    VirtualSchoolFactory,
    local_authority,
)

pytestmark = pytest.mark.django_db

KENT = "E10000016"
# A UPN that passes the checks (its check letter matches; 801 is Bristol's LA number).
UPN = "B801200005001"


@pytest.fixture(autouse=True)
def _autumn_2026(time_machine):
    time_machine.move_to(
        datetime.datetime(2026, 11, 30, 10, 0, tzinfo=timezone.get_current_timezone())
    )


@pytest.fixture
def leeds():
    return VirtualSchoolFactory()


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _ask(carer, child=None) -> AdviceRequest:
    return advice_services.advice_request_create(
        carer=carer, topic="attendance", message="Help please", child=child
    )


def _pupil(virtual_school, actor, last_name: str, upn: str = "", **fields) -> KinshipPupil:
    return record_services.pupil_create(
        virtual_school=virtual_school,
        actor=actor,
        first_name=fields.pop("first_name", "Ada"),
        last_name=last_name,
        date_of_birth=fields.pop("date_of_birth", datetime.date(2016, 5, 1)),
        upn=upn,
        arrangement="sgo",
        **fields,
    )


def _value_of(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', found.group(0)) if found else None
    return value.group(1) if value else ""


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    found = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return found.group(1) if found else ""


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"[^>]*checked', html)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


PUPIL_FORM = {
    "first_name": "Amara",
    "last_name": "Okafor",
    "date_of_birth_day": "10",
    "date_of_birth_month": "3",
    "date_of_birth_year": "2017",
    "upn": "",
    "arrangement": "sgo",
    "send_status": "none",
}


# Add as kinship pupil ------------------------------------------------------------------------


def test_add_as_pupil_fills_in_what_the_carer_shared_and_links_the_request(carer, officer, leeds):
    oakwood = record_services.school_save(
        virtual_school=leeds,
        name="Oakwood Primary",
        urn="",
        phase="primary",
        local_authority=leeds.local_authority,
    )
    child = ChildFactory(
        carer=carer.carer_profile,
        first_name="Amara",
        school_year="5",
        school_name="oakwood primary ",  # as the carer typed it
    )
    advice = _ask(carer, child)
    client = _client(officer)

    thread = client.get(reverse("schools:advice_detail", args=[advice.pk])).content.decode()
    add_url = reverse("schools:advice_pupil_add", args=[advice.pk])
    assert "This request is not linked to a pupil record." in thread and add_url in thread

    page = client.get(add_url).content.decode()
    # What the request shares: first name, school year and school...
    assert _value_of(page, "first_name") == "Amara"
    assert _selected(page, "year_group_override") == "5"
    assert _selected(page, "school") == str(oakwood.pk)
    assert "We have filled in what the carer agreed to share when they asked about Amara" in page
    # ...and nothing it does not: not the carer's arrangement (SGO in their profile).
    assert _value_of(page, "last_name") == "" and _value_of(page, "date_of_birth_year") == ""
    assert _checked(page, "arrangement") == []

    response = client.post(
        add_url, {**PUPIL_FORM, "school": oakwood.pk, "year_group_override": "5"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:advice_detail", args=[advice.pk])
    pupil = KinshipPupil.objects.get(last_name="Okafor")
    advice.refresh_from_db()
    assert advice.pupil == pupil and pupil.school == oakwood
    # Born in March 2017 she is in Year 5 by age: no override, so she moves up in September.
    assert pupil.year_group_override == "" and pupil.year_group() == "5"
    assert AuditEntry.objects.filter(action="create", object_id=pupil.pk).exists()
    assert AuditEntry.objects.filter(
        action="update", object_id=pupil.pk, summary=f"Linked advice request {advice.pk} to {pupil}"
    ).exists()

    # The thread names the pupil and links to their record; reading it is audited.
    thread = client.get(response["Location"]).content.decode()
    assert "Amara Okafor added as a kinship pupil and linked to this request" in thread
    assert reverse("schools:pupil_detail", args=[pupil.pk]) in thread
    assert add_url not in thread
    assert AuditEntry.objects.filter(
        action="view", object_id=pupil.pk, summary__startswith=f"Viewed advice request {advice.pk}"
    ).exists()


def test_nothing_is_filled_in_when_the_carer_shared_no_child(carer, officer, leeds):
    ChildFactory(carer=carer.carer_profile, first_name="Amara", school_year="5")
    advice = _ask(carer)  # not about a particular child
    page = _client(officer).get(reverse("schools:advice_pupil_add", args=[advice.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert _value_of(html, "first_name") == "" and _selected(html, "year_group_override") == ""
    assert "Amara" not in html
    assert "Nothing has been filled in, because the carer has not agreed to share" in html


def test_a_school_not_on_the_list_is_named_not_chosen(carer, officer, leeds):
    child = ChildFactory(carer=carer.carer_profile, first_name="Kai", school_name="Hillside")
    html = (
        _client(officer)
        .get(reverse("schools:advice_pupil_add", args=[_ask(carer, child).pk]))
        .content.decode()
    )
    assert _selected(html, "school") == ""
    assert "The carer gave the school as “Hillside”, which is not on your list" in html


def test_adding_shows_the_forms_own_errors_and_saves_nothing(carer, officer, leeds):
    advice = _ask(carer, ChildFactory(carer=carer.carer_profile))
    url = reverse("schools:advice_pupil_add", args=[advice.pk])
    page = _client(officer).post(url, {**PUPIL_FORM, "last_name": "", "upn": "A801200005001"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Enter the pupil&#x27;s last name" in html and "Check the UPN" in html
    assert not KinshipPupil.objects.exists()
    advice.refresh_from_db()
    assert advice.pupil is None


# Link to an existing pupil -------------------------------------------------------------------


def test_link_to_an_existing_pupil_found_by_upn_or_name(carer, officer, leeds):
    target = _pupil(leeds, officer, "Okafor", upn=UPN, first_name="Amara")
    for n in range(22):
        _pupil(leeds, officer, f"Smith{n:02d}")
    _pupil(VirtualSchoolFactory(local_authority=local_authority(KENT)), officer, "Okafor")
    advice = _ask(carer)
    client = _client(officer)
    url = reverse("schools:advice_pupil_link", args=[advice.pk])

    # A name common to many: the first 20, and a nudge to narrow it down.
    many = client.get(url, {"q": "Ada smith"}).content.decode()
    assert many.count('name="pupil"') == 20
    assert "More pupils match than are shown here" in many
    # The name or the UPN finds her: only this authority's pupils are ever offered.
    for search in ("okafor", UPN.lower()):
        found = client.get(url, {"q": search}).content.decode()
        assert re.findall(r'name="pupil"[^>]*value="(\d+)"', found) == [str(target.pk)]
    assert "Okafor, Amara" in found and f"UPN {UPN}" in found
    assert AuditEntry.objects.filter(
        action="view",
        summary=f"Searched the pupils to link advice request {advice.pk} ({UPN.lower()})",
    ).exists()

    response = client.post(url, {"q": UPN, "pupil": target.pk})
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.pupil == target
    assert AuditEntry.objects.filter(
        action="update",
        object_id=target.pk,
        summary=f"Linked advice request {advice.pk} to {target}",
    ).exists()

    # Linked wrongly: unlink it from the thread, audited too.
    response = client.post(
        reverse("schools:advice_detail", args=[advice.pk]), {"action": "unlink_pupil"}
    )
    advice.refresh_from_db()
    assert response.status_code == 302 and advice.pupil is None
    assert AuditEntry.objects.filter(
        action="update", summary=f"Unlinked advice request {advice.pk} from {target}"
    ).exists()


def test_a_search_that_finds_nobody_says_so(carer, officer, leeds):
    url = reverse("schools:advice_pupil_link", args=[_ask(carer).pk])
    html = _client(officer).get(url, {"q": "Nobody"}).content.decode()
    assert "No pupil's name or UPN matches “Nobody”" in html
    empty = _client(officer).get(url, {"q": " "}).content.decode()
    assert "Enter a name or UPN to search for" in _text(empty)


@pytest.mark.parametrize("pupils", [2, 30])
def test_the_search_reads_the_same_number_of_rows_whatever_the_size(
    carer, officer, leeds, django_assert_num_queries, pupils
):
    for n in range(pupils):
        _pupil(leeds, officer, f"Smith{n:02d}")
    client = _client(officer)
    url = reverse("schools:advice_pupil_link", args=[_ask(carer).pk])
    client.get(url)  # the first request writes the session
    # Session and user (2), the membership (1) and authenticator (1) the MFA check reads, the
    # request with its carer, child and pupil (1), the pupils found with their schools, never
    # more than 21 (1), and the audit row (1). None of them grows with the number of pupils.
    with django_assert_num_queries(7):
        response = client.get(url, {"q": "smith"})
    assert response.status_code == 200


# Bad input and refusals ----------------------------------------------------------------------


def test_bad_choices_are_refused_beside_the_field_never_a_500(carer, officer, leeds):
    kent = VirtualSchoolFactory(local_authority=local_authority(KENT))
    kents_pupil = _pupil(kent, officer, "Kentish")
    _pupil(leeds, officer, "Okafor")
    advice = _ask(carer)
    client = _client(officer)
    url = reverse("schools:advice_pupil_link", args=[advice.pk])
    for choice in ("999999", "not-a-number", str(kents_pupil.pk), "9" * 30, ""):
        page = client.post(url, {"q": "Okafor", "pupil": choice})
        assert page.status_code == 200, choice
        message = (
            "Choose the pupil this request is about"
            if not choice
            else "Choose a pupil from the list"
        )
        assert message in page.content.decode(), choice
    advice.refresh_from_db()
    assert advice.pupil is None


def test_a_request_is_linked_once(carer, officer, leeds):
    first, second = _pupil(leeds, officer, "Okafor"), _pupil(leeds, officer, "Smith")
    advice = _ask(carer)
    advice_services.advice_request_link_pupil(request=advice, pupil=first, actor=officer)
    client = _client(officer)
    for name in ("schools:advice_pupil_link", "schools:advice_pupil_add"):
        url = reverse(name, args=[advice.pk])
        response = client.post(url, {**PUPIL_FORM, "q": "Smith", "pupil": second.pk})
        assert response.status_code == 302, name
        thread = client.get(response["Location"]).content.decode()
        assert "This request is already linked to Ada Okafor. Unlink it first" in _text(
            thread.replace("&#x27;", "'")
        )
    # Two people at once: the second is told, and the pupil they were adding is not saved.
    with pytest.raises(SchoolError, match="already linked"):
        advice_services.advice_request_link_pupil(request=advice, pupil=second, actor=officer)
    with pytest.raises(SchoolError, match="already linked"):
        advice_services.advice_request_add_pupil(
            request=advice,
            actor=officer,
            first_name="New",
            last_name="Pupil",
            date_of_birth=datetime.date(2016, 1, 1),
            upn="",
            arrangement="sgo",
        )
    assert not KinshipPupil.objects.filter(last_name="Pupil").exists()
    advice.refresh_from_db()
    assert advice.pupil == first


def test_the_services_keep_to_one_authority(carer, officer, leeds):
    kent_vs = VirtualSchoolFactory(local_authority=local_authority(KENT))
    kent_officer = StaffMembershipFactory(virtual_school=kent_vs, role="officer").user
    advice = _ask(carer)
    leeds_pupil, kent_pupil = (
        _pupil(leeds, officer, "Okafor"),
        _pupil(kent_vs, kent_officer, "Kentish"),
    )
    with pytest.raises(SchoolError):  # Leeds's request to Kent's pupil
        advice_services.advice_request_link_pupil(request=advice, pupil=kent_pupil, actor=officer)
    with pytest.raises(SchoolError):  # Kent's officer, Leeds's request
        advice_services.advice_request_link_pupil(
            request=advice, pupil=leeds_pupil, actor=kent_officer
        )
    with pytest.raises(SchoolError):
        advice_services.advice_request_add_pupil(
            request=advice,
            actor=kent_officer,
            first_name="New",
            last_name="Pupil",
            date_of_birth=datetime.date(2016, 1, 1),
            upn="",
            arrangement="sgo",
        )
    advice.refresh_from_db()
    assert advice.pupil is None and not KinshipPupil.objects.filter(last_name="Pupil").exists()
    assert not AuditEntry.objects.filter(summary__startswith="Linked advice request").exists()


def test_read_only_staff_see_the_link_but_cannot_change_it(carer, officer, leeds):
    reader = StaffMembershipFactory(
        virtual_school=leeds, role=StaffMembership.Role.READ_ONLY, user=UserFactory()
    ).user
    give_mfa(reader)
    advice = _ask(carer)
    client = _client(reader)
    for name in ("schools:advice_pupil_add", "schools:advice_pupil_link"):
        assert client.get(reverse(name, args=[advice.pk])).status_code == 403
    pupil = _pupil(leeds, officer, "Okafor")
    advice_services.advice_request_link_pupil(request=advice, pupil=pupil, actor=officer)
    thread = client.get(reverse("schools:advice_detail", args=[advice.pk])).content.decode()
    assert reverse("schools:pupil_detail", args=[pupil.pk]) in thread
    assert "Unlink this pupil" not in thread
    url = reverse("schools:advice_detail", args=[advice.pk])
    assert client.post(url, {"action": "unlink_pupil"}).status_code == 403
    advice.refresh_from_db()
    assert advice.pupil == pupil
