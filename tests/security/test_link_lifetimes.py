"""Signed one-click links in e-mails stop working when their job is done (security review,
30 November 2026, finding 15)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carers.notifications import unsubscribe_token
from events import services
from events.tokens import cancel_token
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_a_cancel_link_expires_when_the_event_has_ended(client, time_machine):
    event = EventFactory(title="Sleep and routines")
    booking = services.booking_create(event=event, user=CarerProfileFactory().user)
    url = reverse("events:cancel_by_link", args=[cancel_token(booking)])
    assert "Can you no longer come?" in client.get(url).content.decode()

    time_machine.move_to(event.ends_at + datetime.timedelta(minutes=1))
    page = client.get(url).content.decode()
    assert "This link has expired" in page and "Can you no longer come?" not in page
    client.post(url)
    booking.refresh_from_db()
    assert booking.status == "confirmed"  # the record of who came stays as it was


def test_an_unsubscribe_link_works_for_a_year(client, time_machine):
    carer = CarerProfileFactory(digest_frequency="weekly")
    url = reverse("carers:unsubscribe", args=[unsubscribe_token(carer.user)])
    time_machine.move_to(timezone.now() + datetime.timedelta(days=364))
    assert client.get(url).status_code == 200

    time_machine.move_to(timezone.now() + datetime.timedelta(days=2))  # a year and a day
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    carer.refresh_from_db()
    assert carer.digest_frequency == "weekly"
