"""Advice requests: a carer asks their Virtual School at /advice/, staff answer at /school/advice/."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.mail import absolute_url
from core.models import Notification
from core.registry import builder_for, staff_summary_sections
from schools.models import AdviceMessage, AdviceRequest, StaffMembership
from schools.services import advice as advice_services
from schools.services import records as record_services
from tests.conftest import give_mfa, links_in
from tests.factories import (
    CarerProfileFactory,
    ChildFactory,
    StaffMembershipFactory,
    UserFactory,
    VirtualSchoolFactory,
    local_authority,
)

pytestmark = pytest.mark.django_db

KENT = "E10000016"
CONSENT_GIVEN = "The carer agreed you may contact the school about this"
CONSENT_NOT_GIVEN = "The carer has not agreed to you contacting the school"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _staff(role: str = "officer", gss: str = "E08000035", **user_fields):
    virtual_school = VirtualSchoolFactory(local_authority=local_authority(gss))
    membership = StaffMembershipFactory(
        virtual_school=virtual_school, role=role, user=UserFactory(**user_fields)
    )
    give_mfa(membership.user)
    return membership.user


def _named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def _error_beside(html: str, field: str) -> str:
    """The error message shown next to a field (GOV.UK: <p id="id_<field>-error">), or ""."""
    found = re.search(
        rf'<p id="id_{field}-error" class="govuk-error-message">(.*?)</p>', html, re.S
    )
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else ""


def _ask(carer, **fields) -> AdviceRequest:
    return advice_services.advice_request_create(
        carer=carer, topic=fields.pop("topic", "attendance"), message="Help please", **fields
    )


@pytest.fixture
def leeds():
    return VirtualSchoolFactory()


# The whole journey ---------------------------------------------------------------------------


def test_round_trip_from_question_to_closed(
    carer, officer, leeds, django_capture_on_commit_callbacks
):
    _named(carer, "Mary", "Jones")
    child = ChildFactory(
        carer=carer.carer_profile,
        first_name="Amara",
        school_year="5",
        school_name="Oakwood Primary",
    )
    kent_officer = _staff(gss=KENT)
    carer_client, officer_client = _client(carer), _client(officer)

    # The carer asks about Amara and agrees the Virtual School may contact her school.
    page = carer_client.get(reverse("advice:new")).content.decode()
    assert "Leeds Virtual School" in page and "Not about a particular child" in page
    response = carer_client.post(
        reverse("advice:new"),
        {
            "topic": "attendance",
            "message": "Amara keeps missing Mondays.",
            "child": child.pk,
            "may_contact_school": "on",
        },
    )
    advice = AdviceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("advice:detail", args=[advice.pk])
    assert (advice.virtual_school, advice.child, advice.may_contact_school) == (leeds, child, True)
    assert advice.status == AdviceRequest.Status.OPEN
    thread = carer_client.get(response["Location"]).content.decode()
    assert "Your question has been sent to Leeds Virtual School" in thread
    assert "Amara keeps missing Mondays." in thread and "Waiting for a reply" in thread

    # It is in the Leeds inbox, not in Kent's.
    inbox = officer_client.get(reverse("schools:advice_inbox")).content.decode()
    assert "Mary Jones" in inbox and "Amara" in inbox
    assert (
        "Mary Jones"
        not in _client(kent_officer).get(reverse("schools:advice_inbox")).content.decode()
    )

    # The officer sees who is asking, about which child, and that they may contact the school.
    detail_url = reverse("schools:advice_detail", args=[advice.pk])
    page = officer_client.get(detail_url).content.decode()
    assert CONSENT_GIVEN in page and CONSENT_NOT_GIVEN not in page
    assert carer.email in page and "Leeds" in page
    assert "Amara" in page and "Year 5" in page and "Oakwood Primary" in page

    # The officer replies: the carer gets exactly one email, with a link to the thread.
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            detail_url, {"action": "reply", "body": "We will call the school this week."}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [carer.email]
    assert email.subject == "Your Virtual School has replied: Attendance"
    assert "Leeds Virtual School has replied" in email.body
    assert "We will call the school this week." in email.body
    assert absolute_url(reverse("advice:detail", args=[advice.pk])) in links_in(email)
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.ANSWERED
    assert advice.first_reply_at is not None
    assert advice.assigned_to == officer

    # The carer reads it (from their Virtual School, not a named person) and replies.
    thread = carer_client.get(reverse("advice:detail", args=[advice.pk])).content.decode()
    assert "We will call the school this week." in thread and "Answered" in thread
    with django_capture_on_commit_callbacks(execute=True):
        response = carer_client.post(
            reverse("advice:detail", args=[advice.pk]), {"body": "Thank you. Tuesday is best."}
        )
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.OPEN
    assert len(mail.outbox) == 1  # carers' own replies send nothing

    # Staff close it: nobody can reply any more.
    assert officer_client.post(detail_url, {"action": "close"}).status_code == 302
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.CLOSED and advice.closed_at is not None
    thread = carer_client.get(reverse("advice:detail", args=[advice.pk])).content.decode()
    assert 'name="body"' not in thread and "ask a new question" in thread
    response = carer_client.post(reverse("advice:detail", args=[advice.pk]), {"body": "One more"})
    assert _error_beside(response.content.decode(), "body") == "Error: This request is closed"
    response = officer_client.post(detail_url, {"action": "reply", "body": "And another thing"})
    assert _error_beside(response.content.decode(), "body") == "Error: This request is closed"
    assert 'name="action"' not in officer_client.get(detail_url).content.decode()
    assert advice.messages.count() == 3
    assert len(mail.outbox) == 1


def test_staff_see_a_warning_when_the_carer_has_not_agreed(carer, officer, leeds):
    child = ChildFactory(carer=carer.carer_profile)
    advice = _ask(carer, child=child, may_contact_school=False)
    page = _client(officer).get(reverse("schools:advice_detail", args=[advice.pk])).content.decode()
    assert CONSENT_NOT_GIVEN in page and CONSENT_GIVEN not in page


def test_staff_can_assign_to_someone_in_their_team_only(carer, officer, head, leeds):
    advice = _ask(carer)
    kent_officer = _staff(gss=KENT)
    url = reverse("schools:advice_detail", args=[advice.pk])
    client = _client(officer)
    assert client.post(url, {"action": "assign", "assignee": head.pk}).status_code == 302
    advice.refresh_from_db()
    assert advice.assigned_to == head
    response = client.post(url, {"action": "assign", "assignee": kent_officer.pk})
    assert (
        _error_beside(response.content.decode(), "assignee") == "Error: Choose someone in your team"
    )
    assert client.post(url, {"action": "assign", "assignee": ""}).status_code == 302
    advice.refresh_from_db()
    assert advice.assigned_to is None


# Who may see and do what ---------------------------------------------------------------------


def test_another_authoritys_staff_get_a_404(carer, leeds):
    advice = _ask(carer)
    url = reverse("schools:advice_detail", args=[advice.pk])
    for role in ("officer", "head"):
        client = _client(_staff(role=role, gss=KENT))
        assert client.get(url).status_code == 404
        for data in ({"action": "reply", "body": "Hi"}, {"action": "close"}, {"action": "assign"}):
            assert client.post(url, data).status_code == 404
    advice.refresh_from_db()
    assert (advice.status, advice.messages.count()) == (AdviceRequest.Status.OPEN, 1)


def test_another_carer_gets_a_404(carer, leeds):
    advice = _ask(carer)
    other = _client(CarerProfileFactory().user)
    url = reverse("advice:detail", args=[advice.pk])
    assert other.get(url).status_code == 404
    assert other.post(url, {"body": "Not mine"}).status_code == 404
    assert advice.messages.count() == 1


def test_read_only_staff_can_read_but_not_act(carer, officer, leeds):
    advice = _ask(carer)
    reader = _staff(role=StaffMembership.Role.READ_ONLY)
    client = _client(reader)
    url = reverse("schools:advice_detail", args=[advice.pk])
    assert client.get(reverse("schools:advice_inbox")).status_code == 200
    page = client.get(url).content.decode()
    assert "Help please" in page and 'name="action"' not in page
    assert "read-only access" in page
    for data in (
        {"action": "reply", "body": "Hello"},
        {"action": "assign", "assignee": officer.pk},
        {"action": "close"},
    ):
        assert client.post(url, data).status_code == 403
    advice.refresh_from_db()
    assert (advice.status, advice.assigned_to, advice.messages.count()) == ("open", None, 1)


def test_an_unknown_action_is_a_bad_request(carer, officer, leeds):
    advice = _ask(carer)
    url = reverse("schools:advice_detail", args=[advice.pk])
    assert _client(officer).post(url, {"action": "delete"}).status_code == 400


# The carer's form ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"message": "   "}, "message", "Enter your question"),
        ({"message": "x" * 5001}, "message", "Your question must be 5,000 characters or fewer"),
        (
            {"child": "none", "may_contact_school": "on"},
            "may_contact_school",
            "Choose the child this is about, or untick this box",
        ),
        ({"child": "another"}, "child", "Choose one of the children in your profile"),
        ({"topic": "gossip"}, "topic", "Choose what your question is about"),
    ],
)
def test_form_errors_are_shown_beside_the_field(carer_client, carer, leeds, fields, field, error):
    ChildFactory(carer=carer.carer_profile)
    if fields.get("child") == "another":
        fields["child"] = ChildFactory().pk  # a child in another carer's profile
    data = {"topic": "attendance", "message": "A question", **fields}
    response = carer_client.post(reverse("advice:new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert _error_beside(html, field) == f"Error: {error}"
    assert "There is a problem" in html
    assert not AdviceRequest.objects.exists()


def test_a_question_need_not_be_about_a_child(carer_client, carer, leeds):
    ChildFactory(carer=carer.carer_profile)
    response = carer_client.post(
        reverse("advice:new"), {"topic": "funding", "message": "Who gets PP+?", "child": "none"}
    )
    assert response.status_code == 302
    advice = AdviceRequest.objects.get()
    assert (advice.child, advice.may_contact_school, advice.topic) == (None, False, "funding")


def test_a_carer_without_children_is_not_asked_about_them(carer_client, leeds):
    page = carer_client.get(reverse("advice:new")).content.decode()
    assert 'name="child"' not in page and 'name="may_contact_school"' not in page
    assert reverse("carers:child_add") in page


def test_a_carer_whose_council_has_no_virtual_school_is_told_so(client):
    carer = CarerProfileFactory(local_authority=local_authority(KENT)).user
    client.force_login(carer)
    for name in ("advice:list", "advice:new"):
        page = client.get(reverse(name)).content.decode()
        assert "The Virtual School for Kent is not on the portal yet" in page, name
        assert 'name="message"' not in page
        assert "https://www.gov.uk/find-local-council" in page
    assert reverse("advice:new") not in client.get(reverse("advice:list")).content.decode()
    response = client.post(reverse("advice:new"), {"topic": "attendance", "message": "Hello?"})
    assert response.status_code == 200
    assert not AdviceRequest.objects.exists()


def test_the_carer_list_says_who_reads_and_how_long_it_takes(carer_client, carer, leeds):
    _ask(carer, topic="send")
    page = carer_client.get(reverse("advice:list")).content.decode()
    assert "Leeds Virtual School" in page and "usually within 5 working days" in page
    assert "Special educational needs (SEND)" in page and "Waiting for a reply" in page
    assert reverse("advice:new") in page


# The inbox -----------------------------------------------------------------------------------


def test_inbox_filters_by_status(carer, officer, leeds):
    open_one = _ask(carer, topic="attendance")
    closed_one = advice_services.advice_close(request=_ask(carer, topic="behaviour"))
    client = _client(officer)
    default = client.get(reverse("schools:advice_inbox")).content.decode()
    assert reverse("schools:advice_detail", args=[open_one.pk]) in default
    assert reverse("schools:advice_detail", args=[closed_one.pk]) not in default
    closed = client.get(reverse("schools:advice_inbox"), {"status": "closed"}).content.decode()
    assert reverse("schools:advice_detail", args=[closed_one.pk]) in closed
    assert reverse("schools:advice_detail", args=[open_one.pk]) not in closed
    everything = client.get(reverse("schools:advice_inbox"), {"status": "all"}).content.decode()
    assert all(
        reverse("schools:advice_detail", args=[a.pk]) in everything for a in (open_one, closed_one)
    )


# Signed-in officer: session and user (2), their membership with the school and council (1,
# read by the MFA middleware and reused by the view) and the authenticator check (1), counts
# per status for the filter (1), paginator count (1), the page of requests with carer, child
# and assignee joined (1). None of them depends on the number of requests.
@pytest.mark.parametrize("count", [2, 20])
def test_inbox_query_count_does_not_grow(officer, head, leeds, django_assert_num_queries, count):
    for n in range(count):
        profile = CarerProfileFactory()
        child = ChildFactory(carer=profile) if n % 2 else None
        advice = _ask(profile.user, child=child)
        if n % 3 == 0:
            advice_services.advice_assign(request=advice, assignee=head)
    client = _client(officer)
    client.get(reverse("schools:advice_inbox"))  # the first request writes the session
    with django_assert_num_queries(7):
        response = client.get(reverse("schools:advice_inbox"))
    assert response.status_code == 200
    assert len(response.context["advice_requests"]) == count


# Notifications -------------------------------------------------------------------------------


def test_reply_email_is_skipped_if_the_message_is_gone(carer, officer, leeds):
    advice = _ask(carer)
    message = advice_services.advice_reply(request=advice, author=officer, body="Hello")
    notification = Notification.objects.get(kind=Notification.Kind.ADVICE_REPLY)
    assert notification.key == f"advice-message:{message.pk}"
    assert builder_for(notification.kind)(notification)["subject"].startswith(
        "Your Virtual School has replied"
    )
    AdviceMessage.objects.filter(pk=message.pk).delete()
    assert builder_for(notification.kind)(notification) is None


def test_staff_summary_lists_open_requests_and_due_follow_ups(carer, officer, leeds, time_machine):
    time_machine.move_to(
        datetime.datetime(2026, 11, 20, 7, 0, tzinfo=timezone.get_current_timezone())
    )
    today = timezone.localdate()
    advice = _ask(_named(carer, "Mary", "Jones"))
    answered = _ask(carer, topic="funding")
    advice_services.advice_reply(request=answered, author=officer, body="Done")
    kent_carer = CarerProfileFactory(local_authority=local_authority(KENT)).user
    VirtualSchoolFactory(local_authority=local_authority(KENT))
    _ask(kent_carer, topic="behaviour")

    def liaison(**fields):
        return record_services.liaison_save(
            virtual_school=leeds,
            actor=officer,
            contact_type="call",
            contact_date=today,
            summary="Spoke to the designated teacher",
            **fields,
        )

    overdue = liaison(follow_up_on=today - datetime.timedelta(days=3))
    due_today = liaison(follow_up_on=today)
    liaison(follow_up_on=today + datetime.timedelta(days=1))  # not due yet
    record_services.liaison_follow_up_done(record=liaison(follow_up_on=today), actor=officer)

    sections = {s["title"]: s for s in staff_summary_sections(officer.staff_membership)}
    waiting = sections["Advice requests waiting for a reply"]["items"]
    assert [item["url"] for item in waiting] == [
        absolute_url(reverse("schools:advice_detail", args=[advice.pk]))
    ]
    assert "Attendance from Mary J" in waiting[0]["text"]
    follow_ups = sections["Follow-ups due today or overdue"]["items"]
    assert [item["url"] for item in follow_ups] == [
        absolute_url(reverse("schools:liaison_edit", args=[record.pk]))
        for record in (overdue, due_today)
    ]
    assert follow_ups[1]["text"].endswith("due today")


def test_no_summary_sections_when_nothing_is_waiting(officer, leeds):
    titles = {s["title"] for s in staff_summary_sections(officer.staff_membership)}
    assert not titles & {"Advice requests waiting for a reply", "Follow-ups due today or overdue"}
