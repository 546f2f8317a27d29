"""Pages for series: booking every date still to come of a series, and what that booked.
(What the event page shows of a series or a course: events.selectors.series_and_sessions.)"""

from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from carers.mixins import BookerRequiredMixin
from events import selectors
from events.models import Booking, Event
from events.services import series as series_services
from events.views import BookingFormView, EventMixin

# What the last "book all dates" did, kept in the session for the page that shows it.
OUTCOMES = "events_series_booked"


class BookSeriesView(BookingFormView):
    """Book every date still to come of the series this event is one date of."""

    def get_event(self) -> Event:
        event = super().get_event()
        if event.series_id is None:
            raise Http404("This event is not one of a series")
        return event

    def book(self, event: Event, data: dict):
        outcomes = series_services.series_book_all(
            event=event,
            user=self.request.user,
            places=data["places"],
            access_needs=data["access_needs"],
            question=data["question"],
        )
        self.request.session[OUTCOMES] = {
            "series": event.series_id,
            "outcomes": [
                {"event": o.event.pk, "status": o.status, "reason": o.reason} for o in outcomes
            ],
        }
        return redirect("events:series_booked", slug=event.slug)


class SeriesBookedView(BookerRequiredMixin, EventMixin, TemplateView):
    """The dates of a series still to come and the person's place on each: after booking
    them all, what that did for each date (booked, waiting list, or why not)."""

    template_name = "events/series_booked.html"

    def get_context_data(self, **kwargs):
        event = self.get_event()
        if event.series_id is None:
            raise Http404("This event is not one of a series")
        saved = self.request.session.get(OUTCOMES) or {}
        outcomes = (
            {o["event"]: o for o in saved.get("outcomes", [])}
            if saved.get("series") == event.series_id
            else {}
        )
        dates = selectors.series_dates(event=event, user=self.request.user, others_only=False)
        for date in dates:
            outcome = outcomes.get(date.pk, {})
            date.outcome = outcome.get("status", "")
            date.reason = outcome.get("reason", "")
        made = [o for o in outcomes.values() if o["status"] in Booking.Status.values]
        return super().get_context_data(
            event=event,
            series=event.series,
            dates=dates,
            just_booked=bool(outcomes),
            confirmed_count=sum(o["status"] == Booking.Status.CONFIRMED for o in made),
            waiting_count=sum(o["status"] == Booking.Status.WAITLISTED for o in made),
            skipped_count=sum(o["status"] == "skipped" for o in outcomes.values()),
            emailed=bool(made),
            **kwargs,
        )
