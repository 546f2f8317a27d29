"""Key pages the load benchmark drives, not covered by an app's own budget test, run a fixed
number of queries whatever the amount of data: the home page, a carer's calendar feed and the
Virtual School staff home. The data comes from the benchmark's own generator."""

import re

import pytest
from django.urls import reverse

from core.load_data import fill_events, fill_resources, fill_workspace
from events import services as event_services
from events.models import Event
from resources.models import Resource
from schools.models import KinshipPupil
from tests.factories import CarerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _generated_carers(count: int) -> None:
    """Carers the generators book places and ask for advice with (scale-… addresses)."""
    for n in range(count):
        CarerProfileFactory(user=UserFactory(email=f"scale-{n:06d}@example.com"))


# Visitor: featured resources (1) and the next three events (1).
@pytest.mark.parametrize("size", [3, 30])
def test_home_page(client, django_assert_num_queries, size):
    _generated_carers(3)
    fill_resources(size)
    Resource.objects.update(featured=True)
    fill_events(upcoming=size, past=1, bookings_per_event=2)
    with django_assert_num_queries(2):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r'href="/events/load-event-', html)) == 3


# The calendar app asks with no session: the carer found by token (1), their bookings with
# their events (1).
@pytest.mark.parametrize("bookings", [1, 15])
def test_calendar_feed(client, carer, django_assert_num_queries, bookings):
    _generated_carers(1)
    fill_events(upcoming=bookings, past=1, bookings_per_event=1)
    for event in Event.objects.filter(
        starts_at__gt=Event.objects.order_by("starts_at")[0].starts_at
    ):
        event_services.booking_create(event=event, user=carer)
    url = reverse("events:feed", args=[carer.carer_profile.calendar_token])
    with django_assert_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("BEGIN:VEVENT") == bookings


# Signed-in officer: session and user (2), membership with the school and council (1, read
# by the MFA middleware and reused by the view) and the authenticator check (1), follow-ups
# due (1), open advice requests with their message counts (1), pupils of concern with their
# latest review (1).
@pytest.mark.parametrize("pupils", [3, 30])
def test_staff_home(client, officer, django_assert_num_queries, pupils):
    virtual_school = officer.staff_membership.virtual_school
    _generated_carers(5)
    fill_workspace(virtual_school, pupils, actor=officer)
    client.force_login(officer)
    client.get(reverse("schools:home"))  # the first request after signing in writes the session
    with django_assert_num_queries(7):
        response = client.get(reverse("schools:home"))
    assert response.status_code == 200
    html = response.content.decode()
    shown = len(set(re.findall(r'href="/school/pupils/(\d+)/"', html)))
    assert 0 < shown <= min(pupils, 20) + len(response.context["follow_ups"])
    assert KinshipPupil.objects.filter(virtual_school=virtual_school).count() == pupils
