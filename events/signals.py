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

from django.db.models.signals import m2m_changed, post_delete, post_save

from core import generations
from events.models import Booking, Event, EventMaterial, EventSeries, EventSession

SHOWN = (Event, EventMaterial, EventSeries, EventSession)


def events_changed(**kwargs) -> None:
    generations.bump("events")


def places_changed(**kwargs) -> None:
    generations.bump("places")


def topics_changed(action: str, **kwargs) -> None:
    if action.startswith("post_"):
        generations.bump("events")


def connect() -> None:
    for model in SHOWN:
        label = model._meta.label_lower
        post_save.connect(events_changed, sender=model, dispatch_uid=f"generations-{label}-save")
        post_delete.connect(
            events_changed, sender=model, dispatch_uid=f"generations-{label}-delete"
        )
    post_save.connect(places_changed, sender=Booking, dispatch_uid="generations-booking-save")
    post_delete.connect(places_changed, sender=Booking, dispatch_uid="generations-booking-delete")
    m2m_changed.connect(
        topics_changed, sender=Event.topics.through, dispatch_uid="generations-event-topics"
    )
