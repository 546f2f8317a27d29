import datetime
import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.decorators import ratelimit

from carers.mixins import BookerRequiredMixin, CarerRequiredMixin
from carers.models import CarerProfile
from carers.services import calendar_token_reset
from core.i18n import language_of
from core.pagecache import public_page
from core.ratelimits import rate_from_setting
from events import ics, selectors, services
from events.filters import EventFilter
from events.forms import BookingForm, ChangePlacesForm, FeedbackForm
from events.models import Booking, Event
from events.tokens import CALENDAR_SALT, FEEDBACK_SALT, booking_id_from_token

PAGE_SIZE = 20


# Event pages show topics and recordings from the library, and council names.
@public_page("events", "places", "resources", "site")
class EventListView(TemplateView):
    """Upcoming events with filters and what each one offers now."""

    template_name = "events/list.html"

    def get_context_data(self, **kwargs):
        base = selectors.events_for_listing(
            Event.objects.upcoming().exclude(status=Event.Status.CANCELLED)
        )
        filterset = EventFilter(self.request.GET or None, queryset=base)
        results = filterset.qs if filterset.is_bound else base
        page = Paginator(results.order_by("starts_at", "pk"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        filtering = filterset.is_bound and any(filterset.form.cleaned_data.values())
        return super().get_context_data(
            filter=filterset,
            form=filterset.form,
            page_obj=page,
            events=page.object_list,
            filtering=filtering,
            now=timezone.now(),
            **kwargs,
        )


@public_page("events", "resources", "site")
class CalendarView(TemplateView):
    """A month of events as a table: keyboard and screen reader friendly, no JavaScript."""

    template_name = "events/calendar.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        today = timezone.localdate(now)
        raw = self.request.GET.get("month", "")
        error = None
        if raw:
            match = re.fullmatch(r"(\d{4})-(\d{2})", raw)
            if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
                first = datetime.date(int(match[1]), int(match[2]), 1)
            else:
                error = _("Enter a month like 2026-12")
                first = today.replace(day=1)
        else:
            first = selectors.calendar_opening_month(now)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        weeks = selectors.month_grid(
            first.year, first.month, selectors.events_in_month_grid(first.year, first.month)
        )
        events = [
            event for week in weeks for day in week if day["in_month"] for event in day["events"]
        ]
        # The list shown instead of the grid on a phone: what is still to come, unless the
        # whole month has gone by.
        month_past = following <= today
        return super().get_context_data(
            month=first,
            weeks=weeks,
            events=events,
            listed_events=events if month_past else [e for e in events if e.ends_at >= now],
            month_past=month_past,
            previous_month=previous,
            next_month=following,
            today=today,
            month_error=error,
            # Monday first, named in the page's language by Django's own date names.
            weekdays=[{"name": WEEKDAYS[day], "abbr": WEEKDAYS_ABBR[day]} for day in range(7)],
            **kwargs,
        )


class EventMixin:
    def get_event(self) -> Event:
        user = self.request.user
        qs = selectors.events_for_listing(Event.objects.all())
        if not (user.is_authenticated and user.is_staff):
            qs = qs.published()
        return get_object_or_404(qs, slug=self.kwargs["slug"])


class EventShortLinkView(View):
    """/events/e/<id>/, the short address text messages use: on to the event's page, for
    whoever may see it there."""

    def get(self, request, pk):
        events = Event.objects.all()
        if not (request.user.is_authenticated and request.user.is_staff):
            events = events.published()
        event = get_object_or_404(events.only("slug"), pk=pk)
        return redirect(event.get_absolute_url())


@public_page("events", "places", "resources", "site")
class EventDetailView(EventMixin, TemplateView):
    template_name = "events/detail.html"

    def get_context_data(self, **kwargs):
        event = kwargs.pop("event", None) or self.get_event()
        user = self.request.user
        booking = selectors.active_booking(event=event, user=user)
        eligible_error = eligible_field = None
        if user.is_authenticated and booking is None:
            try:
                services.booking_check(event=event, user=user, places=1)
            except services.BookingError as error:
                eligible_error, eligible_field = str(error), error.field
        materials = selectors.ready_materials(event)  # none until the event has ended
        booked = booking is not None and booking.status == Booking.Status.CONFIRMED
        form = kwargs.pop("form", None) or BookingForm(event=event)
        return super().get_context_data(
            # A course's sessions; a series' other dates, and booking them all.
            **selectors.series_and_sessions(
                event=event, user=user, booking=booking, eligible_field=eligible_field, form=form
            ),
            event=event,
            booking=booking,
            position=selectors.waiting_position(booking)
            if booking and booking.status == Booking.Status.WAITLISTED
            else None,
            booking_open=event.booking_is_open(),
            can_change_places=services.booking_can_reduce_places(booking),
            recording=event.recording_for(user),
            materials=selectors.materials_shown(materials, user=user, booked=booked),
            # Someone who booked may not have signed in yet: there is more for them.
            sign_in_for_materials=not user.is_authenticated
            and any(not material.for_everyone for material in materials),
            eligible_error=eligible_error,
            form=form,
            preview=event.status == Event.Status.DRAFT,
            **kwargs,
        )


@method_decorator(
    ratelimit(
        key="user_or_ip", rate=rate_from_setting("BOOKING_RATE_LIMIT"), method="POST", block=False
    ),
    name="post",
)
class BookingFormView(BookerRequiredMixin, EventMixin, View):
    """The booking form posted from an event page: the rate limit, the form, and a
    BookingError's message beside its field (the event page again) or book() done."""

    def book(self, event: Event, data: dict):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        event = self.get_event()
        form = BookingForm(request.POST, event=event)
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(
                None, _("You have tried to book too many times. Wait a minute, then try again.")
            )
        elif form.is_valid():
            try:
                return self.book(event, form.cleaned_data)
            except services.BookingError as error:
                field = error.field if error.field in ("places", "question") else None
                form.add_error(field, str(error))
        view = EventDetailView(request=request, kwargs=self.kwargs, args=())
        context = view.get_context_data(event=event, form=form)
        return view.render_to_response(context)


class BookView(BookingFormView):
    """Book places, or join the waiting list when the event is full."""

    def book(self, event: Event, data: dict):
        booking = services.booking_create(
            event=event,
            user=self.request.user,
            places=data["places"],
            access_needs=data["access_needs"],
            question=data["question"],
        )
        if booking.status == Booking.Status.CONFIRMED:
            messages.success(
                self.request,
                _("Your place is booked. We have sent you an email with the details."),
            )
        else:
            messages.success(
                self.request,
                _("You are on the waiting list. We will email you if a place comes up."),
            )
        return redirect(event.get_absolute_url())


class CancelView(BookerRequiredMixin, EventMixin, TemplateView):
    """Confirm, then cancel your place or leave the waiting list."""

    template_name = "events/cancel.html"

    def get_booking(self) -> Booking:
        event = self.get_event()
        booking = selectors.active_booking(event=event, user=self.request.user)
        if booking is None:
            raise Http404("No booking to cancel")
        return booking

    def get_context_data(self, **kwargs):
        booking = self.get_booking()
        return super().get_context_data(
            booking=booking,
            event=booking.event,
            can_change_places=services.booking_can_reduce_places(booking),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        booking = self.get_booking()
        services.booking_cancel(booking=booking)
        if booking.status == Booking.Status.WAITLISTED:
            messages.success(request, _("You have left the waiting list."))
        else:
            messages.success(
                request,
                ngettext(
                    "Your place has been cancelled. Thank you for letting us know.",
                    "Your %(count)s places have been cancelled. Thank you for letting us know.",
                    booking.places,
                )
                % {"count": booking.places},
            )
        return redirect(booking.event.get_absolute_url())


class ChangePlacesView(BookerRequiredMixin, EventMixin, TemplateView):
    """Keep fewer of your booked places: the ones given back go to the waiting list.

    Only fewer: more places means booking again, which checks there is room."""

    template_name = "events/change_places.html"

    def get_booking(self) -> Booking:
        event = self.get_event()
        booking = selectors.active_booking(event=event, user=self.request.user)
        if booking is None or booking.status != Booking.Status.CONFIRMED:
            raise Http404("No booked places to change")
        booking.event = event
        return booking

    def get_context_data(self, **kwargs):
        booking = kwargs.pop("booking", None) or self.get_booking()
        return super().get_context_data(
            booking=booking,
            event=booking.event,
            can_reduce=services.booking_can_reduce_places(booking),
            started=booking.event.starts_at <= timezone.now(),
            form=kwargs.pop("form", None) or ChangePlacesForm(booking=booking),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        booking = self.get_booking()
        form = ChangePlacesForm(request.POST, booking=booking)
        if services.booking_can_reduce_places(booking) and form.is_valid():
            places = form.cleaned_data["places"]
            try:
                services.booking_reduce_places(
                    booking=booking, places=places, changed_by=request.user
                )
            except services.BookingError as error:
                form.add_error("places" if error.field == "places" else None, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "You now have %(count)s place booked.",
                        "You now have %(count)s places booked.",
                        places,
                    )
                    % {"count": places},
                )
                return redirect(booking.event.get_absolute_url())
        return self.render_to_response(self.get_context_data(booking=booking, form=form))


class CancelByLinkView(TemplateView):
    """The "I can no longer come" link in emails: no sign-in, a confirmation page, then the same cancel path."""

    template_name = "events/cancel_by_link.html"

    def get_booking(self) -> Booking:
        found = booking_id_from_token(self.kwargs["token"])
        if found is None:
            raise Http404("This link is not valid")
        booking_id, user_id = found
        return get_object_or_404(
            Booking.objects.select_related("event", "user"), pk=booking_id, user_id=user_id
        )

    def get_context_data(self, **kwargs):
        booking = self.get_booking()
        return super().get_context_data(
            booking=booking,
            event=booking.event,
            already=not booking.is_active,
            started=booking.event.starts_at <= timezone.now(),
            ended=booking.event.ends_at <= timezone.now(),  # the link has done its job
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        booking = self.get_booking()
        if booking.is_active and booking.event.starts_at > timezone.now():
            services.booking_cancel(booking=booking)
        return redirect(f"{request.path}?done=1")


class FeedbackView(TemplateView):
    """The feedback form linked from the thank-you email: signed link, no sign-in needed."""

    template_name = "events/feedback.html"

    def get_booking(self) -> Booking:
        found = booking_id_from_token(self.kwargs["token"], salt=FEEDBACK_SALT)
        if found is None:
            raise Http404("This link is not valid")
        booking_id, user_id = found
        return get_object_or_404(
            Booking.objects.select_related("event"), pk=booking_id, user_id=user_id
        )

    def get_context_data(self, **kwargs):
        booking = self.get_booking()
        return super().get_context_data(
            booking=booking,
            event=booking.event,
            form=kwargs.pop("form", None) or FeedbackForm(),
            done=self.request.GET.get("done") == "1",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        booking = self.get_booking()
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.feedback_create(booking=booking, **form.cleaned_data)
            except services.BookingError as error:
                form.add_error(None, str(error))
            else:
                return redirect(f"{request.path}?done=1")
        return self.render_to_response(self.get_context_data(form=form))


class EventIcsView(EventMixin, View):
    """One event for a calendar app: with the join link only for someone signed in with a
    confirmed place."""

    def get(self, request, *args, **kwargs):
        event = self.get_event()
        booking = selectors.active_booking(event=event, user=request.user)
        join_url = booking.join_link if booking else ""
        response = HttpResponse(
            ics.event_calendar(event, join_url=join_url),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
        if join_url:  # this copy is for one person: no shared cache keeps it
            response["Cache-Control"] = "private, no-store"
        return response


class BookingCalendarView(View):
    """One booking's calendar file, from the signed link in an e-mail sent through GOV.UK
    Notify: the same file other e-mails attach, with the join link for a confirmed place."""

    def get(self, request, token):
        found = booking_id_from_token(token, salt=CALENDAR_SALT)
        if found is None:
            raise Http404("This link is not valid")
        booking_id, user_id = found
        booking = get_object_or_404(
            Booking.objects.select_related("event"), pk=booking_id, user_id=user_id
        )
        response = HttpResponse(
            ics.bookings_calendar([booking]), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{booking.event.slug}.ics"'
        response["Cache-Control"] = "private, no-store"
        return response


class FeedView(View):
    """A carer's private calendar feed, found by an unguessable token they can reset."""

    def get(self, request, *args, **kwargs):
        token = kwargs["token"]
        # PostgreSQL cannot compare text with a NUL in it: no token has one.
        profile = (
            None
            if "\x00" in token
            else CarerProfile.objects.filter(calendar_token=token).select_related("user").first()
        )
        if profile is None:
            raise Http404("No such calendar")
        bookings = (
            Booking.objects.filter(user=profile.user)
            .select_related("event")
            .prefetch_related("event__sessions")  # a course: one VEVENT per session
            .order_by("event__starts_at")
        )
        # A calendar app fetches the feed with no cookie or page: it is written in the
        # language the carer chose, whichever address they subscribed to.
        with translation.override(language_of(profile.user)):
            calendar = ics.bookings_calendar(bookings)
        response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        response["X-Robots-Tag"] = "noindex"
        return response


class FeedResetView(CarerRequiredMixin, View):
    """Make a new private feed address; the old one stops working at once."""

    def post(self, request, *args, **kwargs):
        calendar_token_reset(profile=self.profile)
        messages.success(
            request,
            _("Your calendar address has been changed. Add the new one to your calendar app."),
        )
        return redirect(reverse("portal:dashboard") + "#calendar-feed")
