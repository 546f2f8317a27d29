"""The event forms, filled in by Hypothesis: booking places (on the event's page) and the
feedback form linked from the thank-you email.

A valid booking saves the places, access needs and question as typed (stripped), tells the
carer, and the organisers' list of attendees shows them; valid feedback saves the rating and
comment. An invalid form saves nothing, with the message beside the field.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core.models import Notification
from events.models import Booking, EventFeedback
from events.tokens import feedback_url
from tests.conftest import give_mfa
from tests.factories import EventFactory, UserFactory
from tests.properties.checks import (
    PROPERTY,
    accepted,
    assert_refused,
    assert_shown,
    changed_counts,
    row_counts,
    signed_in,
    table,
    undone,
    visitor,
)
from tests.properties.strategies import OMIT, Mistake, free_text, too_long_text

pytestmark = pytest.mark.django_db

MOST_PLACES = 2  # the event's most places in one booking


@pytest.fixture
def event(db):
    return EventFactory(capacity=3, max_places_per_booking=MOST_PLACES)


@pytest.fixture
def carer_client(carer):
    return signed_in(carer)


@pytest.fixture
def organiser_client(db):
    """A content admin: Django admin's list of an event's attendees."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(admin)
    return signed_in(admin)


@st.composite
def booking_forms(draw) -> tuple[dict, dict]:
    places = draw(st.integers(1, MOST_PLACES))
    data = {
        "places": str(places),
        "access_needs": draw(free_text(1000)),
        "question": draw(free_text(1000)),
    }
    expected = {
        "places": places,
        "access_needs": data["access_needs"].strip(),
        "question": data["question"].strip(),
        "status": Booking.Status.CONFIRMED,
    }
    return data, expected


booking_mistakes = st.one_of(
    st.sampled_from(["", "0", str(MOST_PLACES + 1), "-1", "two", "1.5", OMIT]).map(
        lambda v: Mistake("places", {"places": v}, "Choose how many people are coming")
    ),
    too_long_text(1000).map(
        lambda v: Mistake(
            "access_needs", {"access_needs": v}, "Access needs must be 1,000 characters or fewer"
        )
    ),
    too_long_text(1000).map(
        lambda v: Mistake(
            "question", {"question": v}, "Your question must be 1,000 characters or fewer"
        )
    ),
)


@PROPERTY
@given(data=st.data())
def test_a_valid_booking_is_saved_as_typed_and_shown_to_the_organisers(
    data, carer, carer_client, event, organiser_client
):
    payload, expected = data.draw(booking_forms(), label="form and booking")
    with undone():
        before = row_counts()
        accepted(carer_client.post(reverse("events:book", args=[event.slug]), payload))
        assert changed_counts(before) == {table(Booking): 1, table(Notification): 1}
        booking = Booking.objects.get(event=event, user=carer)
        assert Booking.objects.values(*expected).get(pk=booking.pk) == expected
        attendees = reverse("admin:events_event_attendees", args=[event.pk])
        assert_shown(organiser_client, attendees, expected["access_needs"], expected["question"])


@PROPERTY
@given(data=st.data())
def test_an_invalid_booking_saves_nothing_and_says_why_beside_the_field(data, carer_client, event):
    payload, _expected = data.draw(booking_forms(), label="valid form")
    mistake = data.draw(booking_mistakes, label="mistake")
    with undone():
        before = row_counts()
        url = reverse("events:book", args=[event.slug])
        response = carer_client.post(url, mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)


@pytest.fixture
def came(carer):
    """A confirmed place at an event that happened yesterday: its feedback link."""
    started = timezone.now() - datetime.timedelta(days=1)
    event = EventFactory(starts_at=started, ends_at=started + datetime.timedelta(hours=1))
    booking = Booking.objects.create(event=event, user=carer, status="confirmed", places=1)
    return booking, feedback_url(booking).removeprefix("http://testserver")


@PROPERTY
@given(rating=st.integers(1, 5), comment=free_text(2000))
def test_valid_feedback_on_an_event_is_saved_as_typed(rating, comment, came):
    booking, url = came
    with undone():
        before = row_counts()
        accepted(visitor().post(url, {"rating": str(rating), "comment": comment}))
        assert changed_counts(before) == {table(EventFeedback): 1}
        feedback = EventFeedback.objects.get(booking=booking)
        assert (feedback.event_id, feedback.rating, feedback.comment) == (
            booking.event_id,
            rating,
            comment.strip(),
        )


@PROPERTY
@given(
    mistake=st.one_of(
        st.sampled_from(["", "0", "6", "five", "4.5", OMIT]).map(
            lambda v: Mistake("rating", {"rating": v}, "Choose how the event was")
        ),
        too_long_text(2000).map(
            lambda v: Mistake(
                "comment", {"comment": v}, "Your comment must be 2,000 characters or fewer"
            )
        ),
    )
)
def test_invalid_feedback_on_an_event_saves_nothing_and_says_why(mistake, came):
    _booking, url = came
    with undone():
        before = row_counts()
        response = visitor().post(url, mistake.applied_to({"rating": "4", "comment": "Lovely"}))
        assert_refused(response, before, mistake.field, mistake.message)
