"""A carer's data: a page to read and print (/profile/export/) and the same as a JSON file
(/profile/export/download/). Everything about her, nothing about anyone else."""

import dataclasses
import html
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from carers import services
from carers.services import CONSENT_STATEMENT
from events.models import Booking
from events.services import booking_create, feedback_create
from resources.models import Topic
from resources.services import resource_save_for_user
from schools.services.advice import advice_reply, advice_request_create
from tests.factories import (
    CarerProfileFactory,
    ChildFactory,
    EventFactory,
    ResourceFactory,
    StaffMembershipFactory,
    UserFactory,
    VirtualSchoolFactory,
)

pytestmark = pytest.mark.django_db

PAGE, DOWNLOAD = reverse("carers:export"), reverse("carers:export_download")


@dataclasses.dataclass(frozen=True)
class Words:
    """What one carer told the portal, in words that appear nowhere else."""

    child: str
    school: str
    event: str
    access_needs: str
    past_event: str
    feedback: str
    question: str
    reply: str
    guide: str


HERS = Words(
    child="Jayden",
    school="Hollybank Primary",
    event="Managing big feelings",
    access_needs="Hearing loop, please",
    past_event="Starting secondary school",
    feedback="The speaker was really helpful",
    question="Worried about how often Jayden misses school",
    reply="We can ask the school for an attendance plan",
    guide="Understanding special guardianship",
)
THEIRS = Words(
    child="Peregrine",
    school="Wimbleworth Academy",
    event="Zanzibar evening workshop",
    access_needs="Step-free access for Ottoline",
    past_event="Quinquennial review talk",
    feedback="Too long for Ottoline",
    question="Peregrine refuses to go to Wimbleworth",
    reply="Thank you Ottoline, we will call the school",
    guide="Featherstonehaugh's guide to benefits",
)
OFFICER_NAME = ("Bartholomew", "Quibbleworth")  # staff who reply: never named to the carer


def give_data(user, words: Words, *, n: int = 1) -> None:
    """n children (consent given, each), n bookings, n past events rated, n questions answered
    by the Virtual School and n saved guides, through the services a carer's actions call.
    Booking confirmations and replies put n e-mails of each kind in the notification ledger."""
    profile = user.carer_profile
    virtual_school = VirtualSchoolFactory(local_authority=profile.local_authority)
    officer = StaffMembershipFactory(
        virtual_school=virtual_school,
        user__first_name=OFFICER_NAME[0],
        user__last_name=OFFICER_NAME[1],
    ).user
    profile.topics.set(Topic.objects.order_by("name")[:n])
    for i in range(n):
        tag = "" if i == 0 else f" {i + 1}"
        child = ChildFactory(
            carer=profile, first_name=f"{words.child}{tag}", school_name=words.school
        )
        services.child_consent_give(child=child, by=user)
        booking_create(
            event=EventFactory(title=f"{words.event}{tag}"),
            user=user,
            access_needs=words.access_needs,
        )
        past = EventFactory(
            title=f"{words.past_event}{tag}",
            starts_at=timezone.now() - timezone.timedelta(days=3),
            ends_at=timezone.now() - timezone.timedelta(days=3, hours=-1),
        )
        came = Booking.objects.create(event=past, user=user, status=Booking.Status.CONFIRMED)
        feedback_create(booking=came, rating=4, comment=words.feedback)
        request = advice_request_create(
            carer=user,
            topic="attendance",
            message=f"{words.question}{tag}",
            child=child,
            may_contact_school=True,
        )
        advice_reply(request=request, author=officer, body=words.reply)
        resource_save_for_user(user=user, resource=ResourceFactory(title=f"{words.guide}{tag}"))


@pytest.fixture
def two_carers(carer, django_capture_on_commit_callbacks):
    """Her (the signed-in carer) and Ottoline Featherstonehaugh, another carer in Leeds who
    asks the same Virtual School. The e-mails are sent (on commit), so the ledger says so."""
    carer.first_name, carer.last_name = "Margaret", "Okafor"
    carer.save()
    other = CarerProfileFactory(
        user__first_name="Ottoline",
        user__last_name="Featherstonehaugh",
        user__email="ottoline@example.org",
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        give_data(carer, HERS)
        give_data(other, THEIRS)
    return carer, other


def _text(markup: str) -> str:
    """HTML as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


SECTIONS = ["account", "children", "bookings", "feedback", "questions", "saved", "emails"]


def _sections(response) -> dict[str, str]:
    """The text of each part of the page, from its heading (id) to the next one's."""
    page = response.content.decode()
    page = page[: page.index("</main>")]
    starts = [page.index(f'id="{section}"') for section in SECTIONS]
    ends = [*starts[1:], len(page)]
    return {
        section: _text(page[start:end])
        for section, start, end in zip(SECTIONS, starts, ends, strict=True)
    }


def _secrets(words: Words, user) -> list[str]:
    return [*dataclasses.asdict(words).values(), user.email, user.first_name, user.last_name]


def test_the_page_shows_everything_about_her(carer_client, two_carers):
    her, _ = two_carers
    response = carer_client.get(PAGE)
    assert response.status_code == 200
    sections = _sections(response)

    account = sections["account"]
    assert "Name Margaret Okafor" in account
    assert f"Email address {her.email}" in account
    assert "Council area Leeds" in account
    assert "Relationship to the child Grandparent" in account
    assert "Legal arrangement Special guardianship order" in account
    assert f"Topics you follow {Topic.objects.order_by('name').first().name}" in account
    assert "Email about new advice and events Weekly" in account
    assert "Event reminders On" in account
    assert f"Joined {her.date_joined:%A} {her.date_joined.day} " in account

    children = sections["children"]
    assert "Jayden" in children and "School Hollybank Primary" in children
    assert "Shared with your Virtual School Yes" in children
    assert "Jayden: consent to share with your Virtual School" in children  # the table caption
    assert f"Consent given {_today()}" in children
    assert f" You {CONSENT_STATEMENT.format(child='Jayden')}" in children  # who, the exact words

    bookings = sections["bookings"]
    assert "Managing big feelings" in bookings
    assert "Confirmed 1 Hearing loop, please" in bookings
    assert "Starting secondary school" in bookings

    feedback = sections["feedback"]
    assert "Starting secondary school 4 out of 5 The speaker was really helpful" in feedback

    questions = sections["questions"]
    assert "Asked to Leeds Virtual School" in questions
    assert "Contacting the school You agreed the Virtual School may contact Jayden’s school" in (
        questions
    )
    assert f"You Asked {_today()}" in questions
    assert "Worried about how often Jayden misses school" in questions
    assert f"Leeds Virtual School Replied {_today()}" in questions
    assert "We can ask the school for an attendance plan" in questions

    saved = sections["saved"]
    assert f"Understanding special guardianship {_today()}" in saved

    emails = sections["emails"]
    assert f"Booking confirmed {_today()}" in emails
    assert f"Reply to an advice request {_today()}" in emails
    assert emails.count(" Sent ") == 2


def _today() -> str:
    today = timezone.localdate()
    return f"{today:%A} {today.day} {today:%B %Y}"


def test_the_page_shows_nothing_of_anyone_else(carer_client, two_carers):
    _, other = two_carers
    page = html.unescape(carer_client.get(PAGE).content.decode())
    assert [word for word in _secrets(THEIRS, other) if word in page] == []
    assert page.count("Reply to an advice request") == 1  # her one, not Ottoline's


def test_staff_who_replied_are_not_named(carer_client, two_carers):
    """The carer's thread shows replies as from the Virtual School (templates/advice/detail.html),
    so her data does too."""
    page = carer_client.get(PAGE).content.decode()
    download = carer_client.get(DOWNLOAD).content.decode()
    for name in OFFICER_NAME:
        assert name not in page and name not in download


def test_a_note_from_the_portal_is_not_shown_as_hers(carer_client, carer):
    from schools.models import AdviceMessage

    give_data(carer, HERS)
    AdviceMessage.objects.create(
        request=carer.advice_requests.get(), is_note=True, body="This question was closed."
    )
    questions = _sections(carer_client.get(PAGE))["questions"]
    assert f"Note from Kinship Portal Added {_today()}, " in questions
    [question] = json.loads(carer_client.get(DOWNLOAD).content)["advice_requests"]
    assert question["messages"][-1]["from"] == "Note from Kinship Portal"


def test_the_file_holds_the_same_groups(carer_client, two_carers):
    her, _ = two_carers
    response = carer_client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="kinship-portal-my-data-'
    )
    data = json.loads(response.content)
    assert set(data) == {
        "account",
        "profile",
        "children",
        "bookings",
        "event_feedback",
        "advice_requests",
        "saved_resources",
        "emails_sent",
        "exported_at",
    }
    assert data["account"]["email"] == her.email
    assert data["account"]["first_name"] == "Margaret"
    assert data["account"]["email_addresses"] == [
        {"email": her.email, "verified": True, "primary": True}
    ]
    assert data["profile"]["local_authority"] == "Leeds"
    assert data["profile"]["arrangement"] == "Special guardianship order"
    [child] = data["children"]
    assert (child["first_name"], child["school_name"]) == ("Jayden", "Hollybank Primary")
    [consent] = child["consent_history"]
    assert consent["action"] == "Consent given"
    assert consent["recorded_by"] == "You"
    assert consent["statement"] == CONSENT_STATEMENT.format(child="Jayden")
    assert [(b["event"], b["status"], b["access_needs"]) for b in data["bookings"]] == [
        ("Starting secondary school", "Confirmed", None),
        ("Managing big feelings", "Confirmed", "Hearing loop, please"),
    ]
    assert [(f["event"], f["rating"], f["comment"]) for f in data["event_feedback"]] == [
        ("Starting secondary school", 4, "The speaker was really helpful")
    ]
    [question] = data["advice_requests"]
    assert (question["virtual_school"], question["topic"], question["about"]) == (
        "Leeds Virtual School",
        "Attendance",
        "Jayden",
    )
    assert [(m["from"], m["text"]) for m in question["messages"]] == [
        ("You", "Worried about how often Jayden misses school"),
        ("Leeds Virtual School", "We can ask the school for an attendance plan"),
    ]
    assert [s["title"] for s in data["saved_resources"]] == ["Understanding special guardianship"]
    assert sorted((e["email"], e["status"]) for e in data["emails_sent"]) == [
        ("Booking confirmed", "Sent"),
        ("Reply to an advice request", "Sent"),
    ]
    assert all(e["sent_at"] for e in data["emails_sent"])


def test_the_file_holds_nothing_of_anyone_else(carer_client, two_carers):
    _, other = two_carers
    raw = carer_client.get(DOWNLOAD).content.decode()
    assert [word for word in _secrets(THEIRS, other) if word in raw] == []


def test_the_page_offers_the_file_and_printing(carer_client):
    response = carer_client.get(PAGE)
    page = response.content.decode()
    assert f'href="{DOWNLOAD}" download>Download as a file (JSON)</a>' in page
    # The button gets its click from a module (the CSP forbids inline scripts and
    # javascript: links); without JavaScript the page says how to print.
    assert "data-portal-print>Print this page</button>" in page
    assert '<script type="module" src="/static/js/print.mjs"></script>' in page
    assert finders.find("js/print.mjs")
    assert "press Ctrl and P" in page
    assert "javascript:" not in page and "onclick" not in page


def test_profile_links_to_the_page(carer_client):
    page = carer_client.get(reverse("carers:profile")).content.decode()
    assert f'<a class="govuk-link" href="{PAGE}">See, print or download your data</a>' in page


def test_the_delete_page_still_offers_the_file(carer_client):
    page = carer_client.get(reverse("carers:delete")).content.decode()
    assert f'href="{DOWNLOAD}" download>download your data</a>' in page


@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_nobody_keeps_a_copy(carer_client, url):
    cache_control = carer_client.get(url)["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_a_carer_who_has_not_finished_their_profile_can_see_what_we_hold(client, url):
    user = UserFactory(first_name="Newly", last_name="Joined")
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    if url == PAGE:
        sections = _sections(response)
        assert "Council area Not given" in sections["account"]
        assert "You have not added any children." in sections["children"]
    else:
        data = json.loads(response.content)
        assert data["profile"]["local_authority"] is None
        assert data["children"] == []


@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_visitors_are_asked_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_staff_are_sent_to_their_own_pages(client, officer, content_admin, url):
    """As on every carer's page (CarerRequiredMixin): staff have no carer's data to see."""
    client.force_login(officer)
    assert client.get(url)["Location"] == reverse("schools:home")
    client.force_login(content_admin)
    assert client.get(url)["Location"] == reverse("admin:index")


# Signing in: session and user (2), staff membership for the role check (1), verified e-mail
# address (1), profile with its authority and Virtual School (1). Then one query per group of
# the carer's data (carers.selectors.carer_data): topics, e-mail addresses, children, their
# consent records, bookings with their events and feedback, questions with their Virtual
# School and child, the questions' messages, saved advice with its guides, e-mails sent (9).
# The same with 1 and 10 of everything: a query per row would fail this.
QUERIES = 14


@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
@pytest.mark.parametrize("n", [1, 10])
def test_a_fixed_number_of_queries(carer_client, carer, django_assert_num_queries, url, n):
    give_data(carer, HERS, n=n)
    with django_assert_num_queries(QUERIES):
        response = carer_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count(HERS.reply) == n
