"""Visitors' event pages are answered from the cache (core.pagecache) while the "events"
and "places" generations stay the same: every change to what they show bumps one once it
commits. An event's details, its topics, a series or a course's sessions and materials
shared after it bump "events"; a booking (places left, the waiting list) bumps "places",
which the event list and pages, the home page and councils' local offers show and the
calendar does not.

Model signals see every save and delete, whoever makes them (services, admin, the demo
data). What they cannot see, bulk_create and queryset.update(), the services bump
themselves (events.services). Bumping too often costs a page built again; too seldom, a
stale page."""

from core import generations
from events.models import Booking, Event, EventMaterial, EventSeries, EventSession


def connect() -> None:
    generations.bump_on_change(
        "events",
        models=(Event, EventMaterial, EventSeries, EventSession),
        through=(Event.topics.through,),
    )
    generations.bump_on_change("places", models=(Booking,))
