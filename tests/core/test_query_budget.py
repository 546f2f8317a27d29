"""Key pages the load benchmark drives, not covered by an app's own budget test, run a fixed
number of queries whatever the amount of data: the home page, a carer's calendar feed and the
Virtual School staff home. The data comes from the benchmark's own generator."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Event
from portal.load_data import fill_events, fill_resources, fill_workspace
from resources.models import Resource
from schools.models import AdviceRequest, LiaisonRecord, TermlyReview
from schools.selectors.records import current_term
from tests.factories import CarerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _generated_carers(count: int, **profile) -> None:
    """Carers the generators book places and ask for advice with (scale-… addresses)."""
    for n in range(count):
        CarerProfileFactory(user=UserFactory(email=f"scale-{n:06d}@example.com"), **profile)


# Visitor: featured resources (1) and the next three events (1).
@pytest.mark.parametrize("size", [3, 30])
def test_home_page(client, django_assert_num_queries, size):
    _generated_carers(3)
    fill_resources(size)
    Resource.objects.update(featured=True)
    fill_events(upcoming=size, past=1, bookings_per_event=2)
    with django_assert_num_queries(2):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r'href="/events/load-event-', html)) == 3


# The calendar app asks with no session: the carer found by token (1), their bookings with
# their events (1), and the sessions of any courses among them (1: one VEVENT per session).
@pytest.mark.parametrize("bookings", [1, 15])
def test_calendar_feed(client, carer, django_assert_num_queries, bookings):
    _generated_carers(1)
    fill_events(upcoming=bookings, past=1, bookings_per_event=1)
    for event in Event.objects.filter(
        starts_at__gt=Event.objects.order_by("starts_at")[0].starts_at
    ):
        event_services.booking_create(event=event, user=carer)
    url = reverse("events:feed", args=[carer.carer_profile.calendar_token])
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("BEGIN:VEVENT") == bookings


# Signed-in officer: session and user (2), membership with the school and council (1, read
# by the MFA middleware and reused by the view) and the authenticator check (1), follow-ups
# due (1), open advice requests with their message counts (1), pupils of concern with their
# latest review (1), the audit entry saying who saw them (1).
@pytest.mark.parametrize("pupils", [3, 30])
def test_staff_home(client, officer, django_assert_num_queries, pupils):
    virtual_school = officer.staff_membership.virtual_school
    _generated_carers(5, local_authority=virtual_school.local_authority)
    fill_workspace(virtual_school, pupils, actor=officer)
    client.force_login(officer)
    client.get(reverse("schools:home"))  # the first request after signing in writes the session
    with django_assert_num_queries(8):
        response = client.get(reverse("schools:home"))
    assert response.status_code == 200
    # The ten most urgent follow-ups due and open advice requests, and "See all" when
    # there are more.
    due = LiaisonRecord.objects.filter(
        virtual_school=virtual_school, follow_up_done=False, follow_up_on__lte=timezone.localdate()
    )
    assert len(response.context["follow_ups"]) == min(10, due.count())
    assert response.context["more_follow_ups"] == (due.count() > 10)
    open_requests = AdviceRequest.objects.filter(
        virtual_school=virtual_school, status=AdviceRequest.Status.OPEN
    )
    assert len(response.context["open_requests"]) == min(10, open_requests.count())
    assert response.context["more_open_requests"] == (open_requests.count() > 10)
    # Pupils of concern, worked out here from the reviews: latest attendance at or below 90%,
    # or suspended this term. The page shows the first 20 of them, each linked.
    latest, suspended = {}, set()
    year, term = current_term()
    for review in TermlyReview.objects.filter(pupil__virtual_school=virtual_school).order_by(
        "academic_year", "term"
    ):
        latest[review.pupil_id] = review
        if (review.academic_year, review.term) == (year, term) and review.suspensions:
            suspended.add(review.pupil_id)
    concern = {pk for pk, r in latest.items() if r.attendance_percent <= 90} | suspended
    shown = response.context["pupils_of_concern"]
    assert len(shown) == min(20, len(concern)) > 0
    assert {p.pk for p in shown} <= concern
    html = response.content.decode()
    assert all(f'href="/school/pupils/{p.pk}/"' in html for p in shown)
