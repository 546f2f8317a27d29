"""Pages for series: booking every date still to come of a series, and what that booked.
(What the event page shows of a series or a course: events.selectors.series_and_sessions.)"""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.decorators import ratelimit

from carers.mixins import BookerRequiredMixin
from core.ratelimits import rate_from_setting
from events import selectors
from events.forms import BookingForm
from events.models import Booking
from events.services import BookingError
from events.services import series as series_services
from events.views import EventDetailView, EventMixin

# What the last "book all dates" did, kept in the session for the page that shows it.
OUTCOMES = "events_series_booked"


@method_decorator(
    ratelimit(
        key="user_or_ip", rate=rate_from_setting("BOOKING_RATE_LIMIT"), method="POST", block=False
    ),
    name="post",
)
class BookSeriesView(BookerRequiredMixin, EventMixin, View):
    """Book every date still to come of the series this event is one date of."""

    def post(self, request, *args, **kwargs):
        event = self.get_event()
        if event.series_id is None:
            raise Http404("This event is not one of a series")
        form = BookingForm(request.POST, event=event)
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(
                None, _("You have tried to book too many times. Wait a minute, then try again.")
            )
        elif form.is_valid():
            try:
                outcomes = series_services.series_book_all(
                    event=event,
                    user=request.user,
                    places=form.cleaned_data["places"],
                    access_needs=form.cleaned_data["access_needs"],
                    question=form.cleaned_data["question"],
                )
            except BookingError as error:
                field = error.field if error.field in ("places", "question") else None
                form.add_error(field, str(error))
            else:
                request.session[OUTCOMES] = {
                    "series": event.series_id,
                    "outcomes": [
                        {"event": o.event.pk, "status": o.status, "reason": o.reason}
                        for o in outcomes
                    ],
                }
                return redirect("events:series_booked", slug=event.slug)
        view = EventDetailView(request=request, kwargs=self.kwargs, args=())
        return view.render_to_response(view.get_context_data(event=event, form=form))


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
