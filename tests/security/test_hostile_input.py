"""Hostile and random input to every form a person can submit.

Two properties hold for every form, whatever is typed:

- the answer is never a server error (a NUL, say, which PostgreSQL cannot store, is a message
  beside the field), and
- markup typed into a form is never sent back as markup: not when the form is shown again
  with its errors, and not on the page that shows the saved value.

Hypothesis draws the input. The database is rolled back after each test function, not after
each example, so the people and records are made once per test and no example relies on what
an earlier one saved (duplicates are simply refused by the forms).

That valid input to each form is saved as typed, and invalid input saves nothing and is
explained beside its field, is proved in tests/properties/.
"""

import dataclasses
import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carers.models import CarerProfile
from core.choices import Arrangement, YearGroup
from events.models import Booking, Event
from events.tokens import feedback_url
from resources.models import Audience, EntitlementRule, Resource, Stage
from schools.models import AdviceRequest, KinshipPupil, LiaisonRecord, School, TermlyReview
from schools.services import advice as advice_services
from schools.services import imports as import_services
from schools.services import records as record_services
from tests.conftest import give_mfa
from tests.factories import (
    PASSWORD,
    CarerProfileFactory,
    ChildFactory,
    EventFactory,
    ResourceFactory,
    StaffMembershipFactory,
    TopicFactory,
    VirtualSchoolFactory,
    local_authority,
)
from tests.properties.checks import RAW, assert_safe

pytestmark = pytest.mark.django_db

# The example database and the seed come from the profile (tests/hypothesis_profiles.py).
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Input ------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MARKUP = [SCRIPT, IMG, f"Gran{SCRIPT}", f"{IMG} and more"]
SQL = ["' OR 1=1 --", "'; DROP TABLE accounts_user; --", '" OR ""="', "1 UNION SELECT password"]
BAD_DATES = ["2015-02-30", "31/31/31", "-1", "0000-00-00", "2015-13-45", "99999-01-01"]
NUMBERS = ["-1", "0", "-99999999999999999999", "9" * 40, "1e309", "NaN", "-Infinity", "1.5"]
NUMBERS += ["0x1F", "²", "١٢", "  7  ", "7" * 5000]
ODD = ["", " ", "\x00", "Ada\x00", "\x00" * 3, "\u202eTXT.exe", "مرحبا بالعالم", "עברית"]
ODD += [
    "👩\u200d👧\u200d👦",
    "\ufeff",
    "\r\n\t",
    "Zoë\u0301",
    "%00",
    "../../etc/passwd",
    "{{ 7*7 }}",
]
LONG = ["x" * 10_000, "é" * 10_000, "😀" * 10_000, SCRIPT * 400, "a " * 5_000]
PAYLOADS = MARKUP + SQL + BAD_DATES + NUMBERS + ODD + LONG

OMIT = object()  # leave the field out of the request altogether

hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=40),  # any code point but surrogates: NUL, RTL marks, emoji, combining
    st.builds(lambda a, b: a + b, st.sampled_from(MARKUP + SQL + ODD), st.text(max_size=10)),
)
hostile = st.one_of(
    hostile_text,
    st.lists(hostile_text, min_size=2, max_size=3),  # a list where one value is expected
    st.just(OMIT),
)


def form(valid: dict, *, text: tuple[str, ...] = ()) -> st.SearchStrategy[dict]:
    """Each field valid or hostile, so some examples save and some fail; `text` fields are
    free text, whose valid values include markup that must be shown escaped once saved."""
    fields = {}
    for name, value in valid.items():
        options = [st.just(value), hostile]
        if name in text:
            options.insert(1, st.sampled_from(MARKUP))
        fields[name] = st.one_of(*options)
    return st.fixed_dictionaries(fields).map(
        lambda data: {name: value for name, value in data.items() if value is not OMIT}
    )


def date_parts(prefix: str, valid: datetime.date) -> st.SearchStrategy[dict]:
    """A GOV.UK date input's day, month and year boxes: real, impossible or hostile."""
    impossible = [("30", "2", "2015"), ("31", "31", "31"), ("-1", "-1", "-1"), ("29", "2", "2023")]
    impossible += [("1", "1", "99999"), ("0", "0", "0000"), ("1", "1", "1"), ("31", "4", "2016")]
    triples = st.one_of(
        st.just((str(valid.day), str(valid.month), str(valid.year))),
        st.sampled_from(impossible),
        st.tuples(hostile_text, hostile_text, hostile_text),
    )
    return triples.map(
        lambda t: dict(zip([f"{prefix}_day", f"{prefix}_month", f"{prefix}_year"], t, strict=True))
    )


def merged(*strategies) -> st.SearchStrategy[dict]:
    return st.tuples(*strategies).map(lambda parts: {k: v for p in parts for k, v in p.items()})


# Checks -----------------------------------------------------------------------------------


def submit(client: Client, url: str, data: dict, *, method: str = "post"):
    """Send the form; if it was accepted, check the page it leads to as well."""
    response = getattr(client, method)(url, data)
    assert_safe(response, url)
    if response.status_code in (301, 302) and response["Location"].startswith("/"):
        assert_safe(client.get(response["Location"]), response["Location"])
    return response


def shows_escaped(client: Client, url: str, *values: str) -> None:
    body = client.get(url).content.decode()
    for raw in RAW:
        assert raw not in body
    for value in values:
        assert escape(value) in body, f"{value!r} is not shown (escaped) on {url}"


def errors_in(response) -> list[str]:
    """The error messages on a page, to say why a form was refused."""
    body = response.content.decode(errors="replace")
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', body, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", summary[1]).strip()] if summary else [body[:3000]]


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def visitor() -> Client:
    return Client(raise_request_exception=False)


# People and records -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits live in the cache, by user id; SQLite gives the next test's people the ids
    of the last test's, so they would start out rate-limited."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def leeds():
    return VirtualSchoolFactory(local_authority=local_authority("E08000035"))


@pytest.fixture
def carer(leeds):
    return CarerProfileFactory(local_authority=leeds.local_authority).user


@pytest.fixture
def head(leeds):
    membership = StaffMembershipFactory(virtual_school=leeds, role="head")
    give_mfa(membership.user)
    return membership.user


@pytest.fixture
def school(leeds):
    return record_services.school_save(
        virtual_school=leeds,
        name="Park Primary",
        urn="",
        phase="primary",
        local_authority=leeds.local_authority,
    )


@pytest.fixture
def pupil(leeds, head, school):
    return record_services.pupil_create(
        virtual_school=leeds,
        actor=head,
        first_name="Ada",
        last_name="Okafor",
        date_of_birth=datetime.date(2015, 3, 27),
        upn="",
        school=school,
        arrangement="sgo",
        previously_looked_after=False,
        send_status="none",
        social_worker_involved=False,
        notes="",
    )


def profile_data(topic_pk) -> dict:
    return {
        "first_name": "Margaret",
        "last_name": "O'Neill",
        "local_authority": str(local_authority().pk),
        "relationship": CarerProfile.Relationship.GRANDPARENT,
        "arrangement": Arrangement.SPECIAL_GUARDIANSHIP,
        "topics": [str(topic_pk)],
        "digest_frequency": CarerProfile.DigestFrequency.WEEKLY,
        "reminders_enabled": "on",
    }


CHILD = {"first_name": "Jayden", "year_of_birth": "2015", "school_year": "", "school_name": "Park"}
PUPIL = {
    "first_name": "Amara",
    "last_name": "Bennett",
    "upn": "",
    "school": "",
    "year_group_override": "",
    "arrangement": Arrangement.SPECIAL_GUARDIANSHIP,
    "previously_looked_after": "on",
    "send_status": KinshipPupil.Send.NONE,
    "social_worker_involved": "",
    "notes": "Lives with her aunt",
}
REVIEW = {
    "term": TermlyReview.Term.AUTUMN,
    "attendance_percent": "92.5",
    "sessions_missed": "3",
    "suspensions": "0",
    "permanently_excluded": "",
    "reading": TermlyReview.Attainment.NOT_ASSESSED,
    "writing": TermlyReview.Attainment.NOT_ASSESSED,
    "maths": TermlyReview.Attainment.NOT_ASSESSED,
    "progress_notes": "Settling in",
    "agreed_actions": "Check in next term",
}
SCHOOL = {
    "name": "Hillside Academy",
    "urn": "",
    "phase": School.Phase.PRIMARY,
    "designated_teacher_name": "Ms Khan",
    "designated_teacher_email": "dt@example.org",
    "designated_teacher_phone": "0113 000 0000",
}


# Carers -----------------------------------------------------------------------------------


@FAST
@given(data=st.data())
def test_onboarding(data, leeds):
    topic = TopicFactory()
    client = signed_in(CarerProfileFactory(onboarded_at=None).user)
    payload = data.draw(form(profile_data(topic.pk), text=("first_name", "last_name")))
    submit(client, reverse("carers:onboarding"), payload)


@FAST
@given(data=st.data())
def test_profile_edit(data, carer):
    topic = TopicFactory()
    payload = data.draw(form(profile_data(topic.pk), text=("first_name", "last_name")))
    submit(signed_in(carer), reverse("carers:profile_edit"), payload)


@FAST
@given(data=st.data())
def test_child_add(data, carer):
    valid = {**CHILD, "share_with_virtual_school": "on"}
    payload = data.draw(form(valid, text=("first_name", "school_name")))
    submit(signed_in(carer), reverse("carers:child_add"), payload)


@FAST
@given(data=st.data())
def test_child_edit(data, carer):
    child = ChildFactory(carer=carer.carer_profile)
    payload = data.draw(form(CHILD, text=("first_name", "school_name")))
    submit(signed_in(carer), reverse("carers:child_edit", args=[child.pk]), payload)


@FAST
@given(password=hostile)
def test_delete_account_password(password, carer):
    data = {} if password is OMIT else {"password": password}
    response = submit(signed_in(carer), reverse("carers:delete"), data)
    assert response.status_code == 200  # never the right password: the account stays


@FAST
@given(data=st.data())
def test_booking(data, carer):
    event = EventFactory(capacity=3, max_places_per_booking=2)
    payload = data.draw(form({"places": "1", "access_needs": "Step-free"}, text=("access_needs",)))
    submit(signed_in(carer), reverse("events:book", args=[event.slug]), payload)


@FAST
@given(data=st.data())
def test_email_to_attendees(data, content_admin_client, carer):
    """A content admin's message to an event's people: checked, then sent, and shown in the
    list of messages sent on the page it leads to."""
    event = EventFactory()
    Booking.objects.create(event=event, user=carer, status="confirmed", places=1)
    valid = {"audience": "confirmed", "subject": "Room change", "body": "The big hall."}
    payload = data.draw(form(valid, text=("subject", "body")))
    token = data.draw(st.one_of(st.uuids().map(str), hostile))  # a new form each time, or not
    if token is not OMIT:
        payload["token"] = token
    url = reverse("admin:events_event_message", args=[event.pk])
    submit(content_admin_client, url, payload)  # the check page
    submit(content_admin_client, url, {**payload, "send": "Send"})


@FAST
@given(data=st.data())
def test_event_feedback(data, carer):
    started = timezone.now() - datetime.timedelta(days=1)
    event = EventFactory(starts_at=started, ends_at=started + datetime.timedelta(hours=1))
    booking = Booking.objects.create(event=event, user=carer, status="confirmed", places=1)
    url = feedback_url(booking).removeprefix("http://testserver")
    payload = data.draw(form({"rating": "5", "comment": "Lovely"}, text=("comment",)))
    submit(visitor(), url, payload)


@FAST
@given(data=st.data())
def test_resource_feedback(data, db):
    resource = ResourceFactory()
    payload = data.draw(form({"useful": "yes", "comment": "Clear"}, text=("comment",)))
    submit(visitor(), reverse("resources:feedback", args=[resource.slug]), payload)


@FAST
@given(data=st.data())
def test_advice_request(data, carer, leeds):
    child = ChildFactory(carer=carer.carer_profile)
    valid = {
        "topic": AdviceRequest.Topic.values[0],
        "message": "Help with school",
        "child": str(child.pk),
        "may_contact_school": "on",
    }
    payload = data.draw(form(valid, text=("message",)))
    submit(signed_in(carer), reverse("advice:new"), payload)


@FAST
@given(data=st.data())
def test_advice_reply_from_carer(data, carer, leeds):
    advice = advice_services.advice_request_create(carer=carer, topic="attendance", message="Hi")
    payload = data.draw(form({"body": "Thank you"}, text=("body",)))
    submit(signed_in(carer), reverse("advice:detail", args=[advice.pk]), payload)


# Searches and filters (GET) ---------------------------------------------------------------


@FAST
@given(data=st.data())
def test_library_search_and_filters(data, db):
    topic = TopicFactory()
    ResourceFactory(topics=[topic])
    valid = {
        "q": "guardianship",
        "topic": topic.slug,
        "kind": Resource.Kind.GUIDE,
        "audience": Audience.CARERS,
        "arrangement": Arrangement.SPECIAL_GUARDIANSHIP,
        "stage": Stage.values[0],
        "sort": "newest",
        "page": "1",
    }
    payload = data.draw(form(valid, text=("q",)))
    submit(visitor(), reverse("resources:list"), payload, method="get")


@FAST
@given(data=st.data())
def test_events_filters_and_calendar(data, db):
    topic = TopicFactory()
    EventFactory()
    valid = {
        "kind": Event.Kind.WORKSHOP,
        "format": Event.Format.ONLINE,
        "topic": topic.slug,
        "area": str(local_authority().pk),
        "page": "2",
    }
    submit(visitor(), reverse("events:list"), data.draw(form(valid)), method="get")
    month = data.draw(form({"month": "2026-12"}))
    submit(visitor(), reverse("events:calendar"), month, method="get")


@FAST
@given(data=st.data())
def test_help_checker(data, db):
    valid = {
        "arrangement": Arrangement.SPECIAL_GUARDIANSHIP,
        "looked_after": EntitlementRule.LookedAfter.YES,
        "stage": Stage.values[0],
        "local_authority": str(local_authority().pk),
    }
    submit(visitor(), reverse("resources:help_checker"), data.draw(form(valid)), method="get")


@FAST
@given(data=st.data())
def test_workspace_filters(data, head, school, pupil):
    client = signed_in(head)
    pupils = {
        "q": "Ada",
        "school": str(school.pk),
        "year_group": YearGroup.values[3],
        "arrangement": Arrangement.SPECIAL_GUARDIANSHIP,
        "send": "any",
        "persistent_absence": "on",
        "page": "1",
    }
    submit(client, reverse("schools:pupils"), data.draw(form(pupils, text=("q",))), method="get")
    liaison = {"show": "due", "school": str(school.pk), "contact_type": "call", "page": "1"}
    submit(client, reverse("schools:liaison"), data.draw(form(liaison)), method="get")
    inbox = {"status": "open", "page": "1"}
    submit(client, reverse("schools:advice_inbox"), data.draw(form(inbox)), method="get")
    start = {"pupil": str(pupil.pk)}
    submit(client, reverse("schools:liaison_add"), data.draw(form(start)), method="get")


# Virtual School staff ---------------------------------------------------------------------


@FAST
@given(data=st.data())
def test_pupil_add(data, head, school):
    valid = {**PUPIL, "school": str(school.pk)}
    payload = data.draw(
        merged(
            form(valid, text=("first_name", "last_name", "notes", "upn")),
            date_parts("date_of_birth", datetime.date(2016, 5, 4)),
        )
    )
    submit(signed_in(head), reverse("schools:pupil_add"), payload)


@FAST
@given(data=st.data())
def test_pupil_edit(data, head, pupil):
    payload = data.draw(
        merged(
            form(PUPIL, text=("first_name", "last_name", "notes")),
            date_parts("date_of_birth", datetime.date(2015, 3, 27)),
        )
    )
    submit(signed_in(head), reverse("schools:pupil_edit", args=[pupil.pk]), payload)


@FAST
@given(data=st.data())
def test_review_add(data, head, pupil):
    from schools.selectors.records import current_term

    valid = {**REVIEW, "academic_year": str(current_term()[0])}
    payload = data.draw(form(valid, text=("progress_notes", "agreed_actions")))
    submit(signed_in(head), reverse("schools:review_add", args=[pupil.pk]), payload)


@FAST
@given(data=st.data())
def test_liaison_add(data, head, school, pupil):
    valid = {
        "school": str(school.pk),
        "pupil": str(pupil.pk),
        "contact_type": LiaisonRecord.ContactType.CALL,
        "summary": "Spoke to the designated teacher",
        "outcome": "Agreed a plan",
    }
    today = timezone.localdate()
    payload = data.draw(
        merged(
            form(valid, text=("summary", "outcome")),
            date_parts("contact_date", today),
            date_parts("follow_up_on", today + datetime.timedelta(days=7)),
        )
    )
    submit(signed_in(head), reverse("schools:liaison_add"), payload)


@FAST
@given(data=st.data())
def test_school_add(data, head, leeds):
    valid = {**SCHOOL, "local_authority": str(leeds.local_authority_id)}
    payload = data.draw(form(valid, text=("name", "designated_teacher_name")))
    submit(signed_in(head), reverse("schools:school_add"), payload)


@FAST
@given(data=st.data())
def test_staff_invite(data, head):
    payload = data.draw(form({"email": "new.person@example.org", "role": "officer"}))
    submit(signed_in(head), reverse("schools:staff_invite"), payload)


@FAST
@given(data=st.data())
def test_advice_reply_and_assign_from_staff(data, head, carer):
    advice = advice_services.advice_request_create(carer=carer, topic="attendance", message="Hi")
    url = reverse("schools:advice_detail", args=[advice.pk])
    client = signed_in(head)
    submit(
        client, url, data.draw(form({"action": "reply", "body": "Happy to help"}, text=("body",)))
    )
    submit(client, url, data.draw(form({"action": "assign", "assignee": str(head.pk)})))


# Sign-up, sign-in, invitations ------------------------------------------------------------


@FAST
@given(data=st.data())
def test_signup(data, db):
    valid = {"email": "new.carer@example.com", "password1": PASSWORD, "password2": PASSWORD}
    submit(visitor(), reverse("account_signup"), data.draw(form(valid)))


@FAST
@given(data=st.data())
def test_login(data, carer):
    payload = data.draw(form({"login": carer.email, "password": "not-the-password"}))
    client = visitor()
    submit(client, reverse("account_login"), payload)  # a form again, or 429 after many tries
    assert "_auth_user_id" not in client.session  # never the right password


@FAST
@given(data=st.data())
def test_invitation_accept(data, head, leeds):
    from accounts.services import invitation_create

    # A new address each time: an accepted invitation makes its invitee a member of staff.
    invitation = invitation_create(
        email=f"invitee-{uuid.uuid4().hex}@example.org",
        role="officer",
        virtual_school=leeds,
        invited_by=head,
    )
    valid = {"first_name": "Sam", "last_name": "Lee", "password1": "x", "password2": "y"}
    payload = data.draw(form(valid, text=("first_name", "last_name")))
    submit(visitor(), reverse("accounts:invitation_accept", args=[invitation.token]), payload)


# Hostile addresses ------------------------------------------------------------------------


@FAST
@given(token=hostile_text.filter(lambda t: t and "/" not in t and "?" not in t and "#" not in t))
def test_links_with_hostile_tokens(token, carer):
    """Tokens in links from e-mails are looked up or checked: any text is a 404, not a 500."""
    from urllib.parse import quote

    client = signed_in(carer)
    for name in (
        "events:feed",
        "events:cancel_by_link",
        "events:feedback",
        "carers:unsubscribe",
        "accounts:invitation_accept",
    ):
        url = reverse(name, args=["TOKEN"]).replace("TOKEN", quote(token, safe=""))
        assert_safe(client.get(url), url)


# Other buttons ----------------------------------------------------------------------------


@FAST
@given(data=st.data())
def test_other_buttons(data, carer, head, school, pupil):
    """The small POST forms: consent, save, follow-up done, link a child, unsubscribe, cancel."""
    from carers.notifications import unsubscribe_token
    from events.tokens import cancel_token

    child = ChildFactory(carer=carer.carer_profile, shares_with_virtual_school=True)
    resource = ResourceFactory()
    record = record_services.liaison_save(
        virtual_school=pupil.virtual_school,
        actor=head,
        school=school,
        pupil=pupil,
        contact_type="call",
        contact_date=timezone.localdate(),
        summary="Call",
        follow_up_on=timezone.localdate(),
    )
    booking = Booking.objects.create(event=EventFactory(), user=carer, status="confirmed")
    carer_client, staff_client = signed_in(carer), signed_in(head)
    draw = data.draw
    submit(
        carer_client,
        reverse("carers:child_sharing", args=[child.pk]),
        draw(form({"action": "withdraw"})),
    )
    submit(
        carer_client,
        reverse("resources:save", args=[resource.slug]),
        draw(form({"action": "unsave"})),
    )
    done = reverse("schools:liaison_done", args=[record.pk])
    submit(staff_client, done, draw(form({"next": "/school/"})), method="get")
    submit(staff_client, done, draw(form({"next": "/school/"})))
    submit(
        staff_client,
        reverse("schools:pupil_link", args=[pupil.pk]),
        draw(form({"child": str(child.pk)})),
    )
    submit(
        visitor(),
        reverse("carers:unsubscribe", args=[unsubscribe_token(carer)]),
        draw(form({"List-Unsubscribe": "One-Click"})),
    )
    submit(
        visitor(),
        reverse("events:cancel_by_link", args=[cancel_token(booking)]),
        draw(form({"done": "1"})),
    )
    advice = advice_services.advice_request_create(carer=carer, topic="attendance", message="Hi")
    submit(
        staff_client,
        reverse("schools:advice_detail", args=[advice.pk]),
        draw(form({"action": "close"})),
    )


# The pupil import: a file of anything ------------------------------------------------------

CSV_CELLS = ["Amy", "Lee", "2015-03-27", "27/03/2015", "sgo", "yes", "no", "none", "", "123456"]
csv_cell = st.one_of(st.sampled_from(CSV_CELLS), st.sampled_from(MARKUP), hostile_text)


@st.composite
def csv_files(draw):
    import csv
    import io

    header = draw(
        st.one_of(st.just(import_services.IMPORT_COLUMNS), st.lists(csv_cell, max_size=10))
    )
    rows = draw(st.lists(st.lists(csv_cell, max_size=11), max_size=4))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerow(header)
    writer.writerows(row for row in rows if all(isinstance(cell, str) for cell in row))
    text = buffer.getvalue().replace("\x00", "")  # a NUL is refused as "not a CSV": tested below
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    content = draw(
        st.one_of(st.just(text.encode(encoding, errors="replace")), st.binary(max_size=300))
    )
    name = draw(st.sampled_from(["pupils.csv", "PUPILS.CSV", "pupils.xlsx", f"{SCRIPT}.csv"]))
    return name, content


@FAST
@given(upload=csv_files())
def test_pupil_import(upload, head, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schools.views.imports import IMPORT_SESSION_KEY

    name, content = upload
    client = signed_in(head)
    url = reverse("schools:pupil_import")
    response = submit(client, url, {"file": SimpleUploadedFile(name, content)})
    pending = client.session.get(IMPORT_SESSION_KEY) or {}
    if response.status_code == 200 and pending:  # every row is fine: import it
        [token] = pending
        submit(client, url, {"token": token})
    assert_safe(client.get(reverse("schools:pupils")))


# Known hostile input, always tried ----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/events/feed/%00.ics",
        "/accounts/invitation/%00/",
        "/profile/unsubscribe/%00/",
        "/events/bookings/cancel/%00/",
        "/events/bookings/feedback/%00/",
        "/school/liaison/add/?pupil=%C2%B2",  # "²": a digit to isdigit(), not to int()
        "/school/liaison/add/?pupil=" + "7" * 5000,
        "/school/liaison/add/?pupil=99999999999999999999",
        "/school/pupils/99999999999999999999/",
        "/resources/?topic=%00&q=%00&page=%00",
        "/events/?topic=%00&area=%00&page=-1",
        "/events/calendar/?month=%00",
        "/resources/help-checker/?local_authority=%00&arrangement=%00",
        "/school/pupils/?q=%00&school=%00&page=99999999999999999999",
    ],
)
def test_known_hostile_addresses(url, head):
    assert_safe(signed_in(head).get(url), url)


def test_a_topic_id_too_big_for_the_database_is_a_message(leeds):
    client = signed_in(CarerProfileFactory(onboarded_at=None).user)
    data = {**profile_data(TopicFactory().pk), "topics": ["-99999999999999999999"]}
    response = client.post(reverse("carers:onboarding"), data)
    assert response.status_code == 200
    assert "Choose topics from the list" in errors_in(response)[0]


@pytest.mark.parametrize(
    "next_url", ["abc", IMG, "https://evil.example/", "//evil.example/", "/ok/"]
)
def test_follow_up_done_goes_back_only_to_this_site(next_url, head, school, pupil):
    record = record_services.liaison_save(
        virtual_school=pupil.virtual_school,
        actor=head,
        school=school,
        pupil=pupil,
        contact_type="call",
        contact_date=timezone.localdate(),
        summary="Call",
        follow_up_on=timezone.localdate(),
    )
    url = reverse("schools:liaison_done", args=[record.pk])
    response = signed_in(head).post(url, {"next": next_url})
    assert response.status_code == 302
    expected = next_url if next_url == "/ok/" else reverse("schools:liaison")
    assert response["Location"] == expected


# Saved markup is shown as text; a NUL is a message beside the field -------------------------


@pytest.fixture
def content_admin_client(db):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(admin)
    return signed_in(admin)


@dataclasses.dataclass
class FormCase:
    """A form filled in correctly, with markup in its free-text fields, and the pages that then
    show what was saved: (client, url), or (client, url, fields) for a page that shows only
    some of them. With no pages, the page the form leads to shows them."""

    client: Client
    url: str
    data: dict
    text: tuple[str, ...]
    pages: list = dataclasses.field(default_factory=list)


def profile_case(get) -> FormCase:
    client = signed_in(get("carer"))
    data = {**profile_data(TopicFactory().pk), "first_name": SCRIPT, "last_name": IMG}
    return FormCase(
        client,
        reverse("carers:profile_edit"),
        data,
        text=("first_name", "last_name"),
        pages=[(client, reverse("carers:profile"))],
    )


def child_case(get) -> FormCase:
    client = signed_in(get("carer"))
    data = {**CHILD, "first_name": SCRIPT, "school_name": IMG}
    return FormCase(
        client,
        reverse("carers:child_add"),
        data,
        text=("first_name", "school_name"),
        pages=[(client, reverse("carers:profile"))],
    )


def booking_case(get) -> FormCase:
    event = EventFactory()
    attendees = reverse("admin:events_event_attendees", args=[event.pk])
    return FormCase(
        signed_in(get("carer")),
        reverse("events:book", args=[event.slug]),
        {"places": "1", "access_needs": SCRIPT},
        text=("access_needs",),
        pages=[(get("content_admin_client"), attendees)],
    )


def event_feedback_case(get) -> FormCase:
    started = timezone.now() - datetime.timedelta(days=1)
    event = EventFactory(starts_at=started, ends_at=started + datetime.timedelta(hours=1))
    booking = Booking.objects.create(event=event, user=get("carer"), status="confirmed")
    change = reverse("admin:events_event_change", args=[event.pk])
    return FormCase(
        visitor(),
        feedback_url(booking).removeprefix("http://testserver"),
        {"rating": "4", "comment": IMG},
        text=("comment",),
        pages=[(get("content_admin_client"), change)],
    )


def resource_feedback_case(get) -> FormCase:
    resource = ResourceFactory()
    changelist = reverse("admin:resources_resourcefeedback_changelist")
    return FormCase(
        visitor(),
        reverse("resources:feedback", args=[resource.slug]),
        {"useful": "no", "comment": SCRIPT},
        text=("comment",),
        pages=[(get("content_admin_client"), changelist)],
    )


def advice_case(get) -> FormCase:
    get("leeds")
    data = {"topic": "attendance", "message": SCRIPT}
    return FormCase(signed_in(get("carer")), reverse("advice:new"), data, text=("message",))


def _thread(get):
    carer, head = get("carer"), get("head")
    advice = advice_services.advice_request_create(carer=carer, topic="attendance", message="Hi")
    carer_page = (signed_in(carer), reverse("advice:detail", args=[advice.pk]))
    staff_page = (signed_in(head), reverse("schools:advice_detail", args=[advice.pk]))
    return carer_page, staff_page


def carer_reply_case(get) -> FormCase:
    carer_page, staff_page = _thread(get)
    return FormCase(*carer_page, {"body": IMG}, text=("body",), pages=[carer_page, staff_page])


def staff_reply_case(get) -> FormCase:
    carer_page, staff_page = _thread(get)
    data = {"action": "reply", "body": IMG}
    return FormCase(*staff_page, data, text=("body",), pages=[carer_page, staff_page])


def pupil_case(get) -> FormCase:
    client = signed_in(get("head"))
    born = {"date_of_birth_day": "4", "date_of_birth_month": "5", "date_of_birth_year": "2016"}
    data = {**PUPIL, **born, "first_name": SCRIPT, "last_name": IMG, "notes": SCRIPT}
    return FormCase(
        client,
        reverse("schools:pupil_add"),
        data,
        text=("first_name", "last_name", "notes"),
        pages=[(client, reverse("schools:pupils"), ("first_name", "last_name"))],
    )


def review_case(get) -> FormCase:
    from schools.selectors.records import current_term

    client, pupil = signed_in(get("head")), get("pupil")
    year = str(current_term()[0])
    data = {**REVIEW, "academic_year": year, "progress_notes": SCRIPT, "agreed_actions": IMG}
    return FormCase(
        client,
        reverse("schools:review_add", args=[pupil.pk]),
        data,
        text=("progress_notes", "agreed_actions"),
        pages=[(client, reverse("schools:pupil_detail", args=[pupil.pk]))],
    )


def liaison_case(get) -> FormCase:
    client, pupil = signed_in(get("head")), get("pupil")
    today = timezone.localdate()
    data = {
        "pupil": str(pupil.pk),
        "contact_type": "call",
        "summary": SCRIPT,
        "outcome": IMG,
        "contact_date_day": str(today.day),
        "contact_date_month": str(today.month),
        "contact_date_year": str(today.year),
    }
    return FormCase(
        client,
        reverse("schools:liaison_add"),
        data,
        text=("summary", "outcome"),
        pages=[
            (client, reverse("schools:pupil_detail", args=[pupil.pk])),
            (client, reverse("schools:liaison"), ("summary",)),  # the list shows the summary
        ],
    )


def school_case(get) -> FormCase:
    client, leeds = signed_in(get("head")), get("leeds")
    data = {
        **SCHOOL,
        "local_authority": str(leeds.local_authority_id),
        "name": SCRIPT,
        "designated_teacher_name": IMG,
    }
    return FormCase(
        client,
        reverse("schools:school_add"),
        data,
        text=("name", "designated_teacher_name"),
        pages=[(client, reverse("schools:schools"))],
    )


CASES = {
    "profile": profile_case,
    "child": child_case,
    "booking": booking_case,
    "event-feedback": event_feedback_case,
    "resource-feedback": resource_feedback_case,
    "advice": advice_case,
    "carer-reply": carer_reply_case,
    "staff-reply": staff_reply_case,
    "pupil": pupil_case,
    "review": review_case,
    "liaison": liaison_case,
    "school": school_case,
}


@pytest.mark.parametrize("name", CASES)
def test_saved_markup_is_shown_as_text(name, request):
    case = CASES[name](request.getfixturevalue)
    response = case.client.post(case.url, case.data)
    assert response.status_code == 302, errors_in(response)
    for client, url, *fields in case.pages or [(case.client, response["Location"])]:
        shown = fields[0] if fields else case.text
        shows_escaped(client, url, *[case.data[field] for field in shown])


@pytest.mark.parametrize("name", CASES)
def test_a_nul_is_a_message_beside_the_field(name, request):
    case = CASES[name](request.getfixturevalue)
    for field in case.text:
        data = {**case.data, field: "Ada\x00Lovelace"}
        response = case.client.post(case.url, data)
        assert response.status_code == 200, f"{field} with a NUL was accepted"
        body = response.content.decode()
        assert "govuk-error-message" in body and "Null characters are not allowed" in body
