"""Content admins curate events and see bookings here. Every change goes through events.services."""

from collections.abc import Iterable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.spreadsheets import csv_response
from core.templatetags.portal import govuk_datetime
from events import services
from events.forms_admin import BookOnBehalfForm, EventAdminForm
from events.models import Booking, Event

ACTIVE = [Booking.Status.CONFIRMED, Booking.Status.WAITLISTED]


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- Attendee lists (CSV and the per-event page share the same rows) -------------------------

CSV_HEADER = [
    "Event",
    "Date",
    "Name",
    "Email",
    "Places",
    "Status",
    "Access needs",
    "Booked on behalf by",
    "Attended",
]
ATTENDED_LABELS = {True: "Yes", False: "No", None: ""}


def attendee_bookings(event_ids: Iterable[int]) -> QuerySet[Booking]:
    """Active bookings of these events: per event, confirmed first, then the waiting list in order."""
    return (
        Booking.objects.filter(event_id__in=list(event_ids), status__in=ACTIVE)
        .select_related("event", "user", "booked_by")
        .annotate(
            queue=Case(When(status=Booking.Status.CONFIRMED, then=Value(0)), default=Value(1))
        )
        .order_by("event__starts_at", "event_id", "queue", "created_at", "pk")
    )


def attendees_csv_response(bookings: Iterable[Booking], filename: str) -> HttpResponse:
    rows = (
        [
            booking.event.title,
            govuk_datetime(booking.event.starts_at),
            booking.user.get_full_name(),
            booking.user.email,
            booking.places,
            booking.get_status_display(),
            booking.access_needs,
            booking.booked_by.email if booking.booked_by else "",
            ATTENDED_LABELS[booking.attended],
        ]
        for booking in bookings
    )
    return csv_response(filename, CSV_HEADER, rows)


# --- Events ----------------------------------------------------------------------------------


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title",
        "kind",
        "format",
        "starts_local",
        "status",
        "capacity",
        "places_booked",
        "waiting_list",
        "free_places",
    ]
    list_filter = [
        "status",
        "kind",
        "format",
        ("local_authority", admin.RelatedOnlyFieldListFilter),
        "topics",
    ]
    search_fields = ["title", "organiser"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    autocomplete_fields = ["local_authority", "recording"]
    date_hierarchy = "starts_at"
    readonly_fields = ["attendees_link", "feedback_summary", "created_at", "updated_at"]
    actions = ["cancel_events", "duplicate_events", "export_attendees"]
    fieldsets = [
        (
            "What",
            {"fields": ["title", "slug", "summary", "description", "kind", "organiser", "status"]},
        ),
        (
            "When and where",
            {
                "fields": [
                    "starts_at",
                    "ends_at",
                    "format",
                    "join_url",
                    "venue_name",
                    "venue_address",
                    "access_information",
                ]
            },
        ),
        (
            "Booking",
            {
                "fields": [
                    "capacity",
                    "max_places_per_booking",
                    "booking_opens_at",
                    "booking_closes_at",
                    "attendees_link",
                ]
            },
        ),
        ("Who it is for", {"fields": ["audiences", "topics", "local_authority"]}),
        (
            "After the event",
            {"fields": ["recording", "feedback_summary", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        # One query for the whole list: places booked and waiting list size are annotated.
        return (
            super()
            .get_queryset(request)
            .with_places()
            .annotate(
                waiting_count=Count(
                    "bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)
                )
            )
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == Event.Status.CANCELLED:
            readonly.append("status")  # a cancelled event stays cancelled
        return readonly

    @admin.display(description="Starts", ordering="starts_at")
    def starts_local(self, obj):
        return govuk_datetime(obj.starts_at)

    @admin.display(description="Places booked", ordering="confirmed_places")
    def places_booked(self, obj):
        return obj.confirmed_places

    @admin.display(description="Waiting list", ordering="waiting_count")
    def waiting_list(self, obj):
        return obj.waiting_count

    @admin.display(description="Places left")
    def free_places(self, obj):
        return obj.places_left()

    @admin.display(description="Feedback from carers")
    def feedback_summary(self, obj):
        if not obj.pk:
            return "-"
        feedback = list(obj.feedback.order_by("-created_at"))
        if not feedback:
            return "No feedback yet"
        average = sum(f.rating for f in feedback) / len(feedback)
        comments = format_html_join(
            "", "<li>{}/5 – {}</li>", ((f.rating, f.comment or "(no comment)") for f in feedback)
        )
        # format_html escapes every argument to a string first, so the number is formatted here.
        return format_html(
            "<p>{} response(s), average {} out of 5</p><ul>{}</ul>",
            len(feedback),
            f"{average:.1f}",
            comments,
        )

    @admin.display(description="Attendees")
    def attendees_link(self, obj):
        if not obj.pk:
            return "Save the event first"
        return format_html(
            '<a href="{}">Attendees and waiting list</a> ({} of {} places booked, {} waiting)',
            reverse("admin:events_event_attendees", args=[obj.pk]),
            getattr(obj, "confirmed_places", 0),
            obj.capacity,
            getattr(obj, "waiting_count", 0),
        )

    def save_model(self, request, obj, form, change):
        if not (change and "capacity" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        # Save everything but capacity, then change capacity through the service, which
        # locks the event and promotes (and tells) people on the waiting list.
        capacity = obj.capacity
        obj.save(
            update_fields=[
                f.name
                for f in Event._meta.concrete_fields
                if not f.primary_key and f.name not in ("capacity", "created_at")
            ]
        )
        promoted = services.event_set_capacity(event=obj, capacity=capacity)
        obj.capacity = capacity
        if promoted:
            moved = len(promoted)
            verb = "was" if moved == 1 else "were"
            messages.success(
                request,
                f"{_people(moved)} {verb} moved from the waiting list. We have emailed them.",
            )
        confirmed = Event.objects.with_places().get(pk=obj.pk).confirmed_places
        if confirmed > capacity:
            messages.warning(
                request,
                f"{confirmed} places are already booked, more than the new capacity of "
                f"{capacity}. Nobody has lost their place.",
            )

    # Per-event attendees page and CSV

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:event_id>/attendees/",
                view(self.attendees_view),
                name="events_event_attendees",
            ),
            path(
                "<int:event_id>/attendees.csv",
                view(self.attendees_csv_view),
                name="events_event_attendees_csv",
            ),
            *super().get_urls(),
        ]

    def _event_or_404(self, request, event_id: int) -> Event:
        event = self.get_queryset(request).filter(pk=event_id).first()
        if event is None:
            raise Http404("No event with this ID")
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        return event

    def attendees_view(self, request, event_id: int):
        event = self._event_or_404(request, event_id)
        bookings = list(attendee_bookings([event.pk]))
        confirmed = [b for b in bookings if b.status == Booking.Status.CONFIRMED]
        waiting = [b for b in bookings if b.status == Booking.Status.WAITLISTED]
        started = timezone.now() >= event.starts_at
        can_mark = started and self.has_change_permission(request, event)

        if request.method == "POST":
            if not self.has_change_permission(request, event):
                raise PermissionDenied
            values = {"yes": True, "no": False, "": None}
            changed = 0
            try:
                for booking in confirmed:
                    raw = request.POST.get(f"attended-{booking.pk}")
                    if raw not in values or values[raw] == booking.attended:
                        continue
                    services.booking_mark_attendance(booking=booking, attended=values[raw])
                    changed += 1
            except services.BookingError as error:  # e.g. the event has not started yet
                messages.error(request, str(error))
                return redirect(request.path)
            messages.success(request, f"Attendance saved for {_count(changed, 'booking')}.")
            return redirect(request.path)

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Attendees and waiting list",
            "subtitle": event.title,
            "event": event,
            "confirmed": confirmed,
            "waiting": waiting,
            "started": started,
            "can_mark": can_mark,
            "has_view_permission": True,
            "csv_url": reverse("admin:events_event_attendees_csv", args=[event.pk]),
        }
        return TemplateResponse(request, "admin/events/event/attendees.html", context)

    def attendees_csv_view(self, request, event_id: int):
        event = self._event_or_404(request, event_id)
        return attendees_csv_response(
            attendee_bookings([event.pk]),
            filename=f"attendees-{event.slug}-{timezone.localdate():%Y-%m-%d}.csv",
        )

    # Actions

    @admin.action(
        description="Cancel selected events and tell everyone booked", permissions=["change"]
    )
    def cancel_events(self, request, queryset):
        cancelled = told = 0
        for event in queryset:
            if event.status == Event.Status.CANCELLED:
                continue
            told += services.event_cancel(event=event)
            cancelled += 1
        messages.success(
            request,
            f"{_count(cancelled, 'event')} cancelled. "
            f"{_count(told, 'booking')} cancelled and each person emailed.",
        )

    @admin.action(
        description="Duplicate selected events for the following week", permissions=["add"]
    )
    def duplicate_events(self, request, queryset):
        copies = [services.event_duplicate(event=event) for event in queryset]
        messages.success(
            request,
            f"{_count(len(copies), 'draft')} created a week later. "
            "Check the details, then publish them.",
        )

    @admin.action(description="Export attendees as CSV", permissions=["view"])
    def export_attendees(self, request, queryset):
        return attendees_csv_response(
            attendee_bookings(queryset.values_list("pk", flat=True)),
            filename=f"attendees-{timezone.localdate():%Y-%m-%d}.csv",
        )


# --- Bookings --------------------------------------------------------------------------------


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Bookings are history: nothing is edited or deleted here. Cancel with the action.

    The add page books a carer who phoned onto an event on their behalf."""

    list_display = ["user_email", "event", "places", "status", "created_at", "attended"]
    list_filter = ["status", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__first_name", "user__last_name", "event__title"]
    list_select_related = ["user", "event"]
    date_hierarchy = "created_at"
    actions = ["cancel_bookings", "mark_attended", "mark_not_attended"]
    fields = [
        "event",
        "user",
        "places",
        "status",
        "access_needs",
        "booked_by",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "attended",
    ]
    add_fields = ["event", "carer_email", "places", "access_needs"]

    @admin.display(description="Email", ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The change page is view-only; the list's actions still need change permission.
        return obj is None and super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = BookOnBehalfForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                event=data["event"],
                user=data["carer_email"],
                places=data["places"],
                access_needs=data.get("access_needs") or "",
                booked_by=request.user,
            )
        except services.BookingError as exc:
            # The form has already run booking_check: this only happens on a race.
            messages.error(request, f"The booking was not made: {exc}")
            return
        for field in Booking._meta.concrete_fields:
            setattr(obj, field.attname, getattr(booking, field.attname))
        if booking.status == Booking.Status.CONFIRMED:
            messages.success(
                request,
                f"{booking.user.email} has a place at {booking.event}. "
                "We have emailed them their confirmation.",
            )
        else:
            messages.warning(
                request,
                f"{booking.event} is full, so {booking.user.email} is on the waiting list. "
                "We have emailed them.",
            )

    def save_related(self, request, form, formsets, change):
        if form.instance.pk:
            super().save_related(request, form, formsets, change)

    def log_addition(self, request, obj, message):
        if obj.pk:
            return super().log_addition(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if not obj.pk:
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(
        description="Cancel selected bookings (the waiting list moves up; everyone is emailed)",
        permissions=["change"],
    )
    def cancel_bookings(self, request, queryset):
        # Waiting-list places first, so nobody selected is promoted and then cancelled.
        bookings = (
            queryset.filter(status__in=ACTIVE)
            .select_related("event", "user")
            .annotate(
                first=Case(When(status=Booking.Status.WAITLISTED, then=Value(0)), default=Value(1))
            )
            .order_by("first", "created_at", "pk")
        )
        cancelled = promoted = 0
        for booking in bookings:
            promoted += len(services.booking_cancel(booking=booking))
            cancelled += 1
        message = f"{_count(cancelled, 'booking')} cancelled and each person emailed."
        if promoted:
            verb = "was" if promoted == 1 else "were"
            message += f" {_people(promoted)} {verb} moved from the waiting list and emailed."
        messages.success(request, message)

    def _mark(self, request, queryset, attended: bool) -> None:
        eligible = queryset.filter(
            status=Booking.Status.CONFIRMED, event__starts_at__lte=timezone.now()
        )
        marked = 0
        for booking in eligible:
            services.booking_mark_attendance(booking=booking, attended=attended)
            marked += 1
        messages.success(request, f"Attendance recorded for {_count(marked, 'booking')}.")
        skipped = queryset.count() - marked
        if skipped:
            messages.warning(
                request,
                f"{_count(skipped, 'booking')} skipped: attendance is only recorded for "
                "confirmed places once the event has started.",
            )

    @admin.action(description="Mark as attended", permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, attended=True)

    @admin.action(description="Mark as did not attend", permissions=["change"])
    def mark_not_attended(self, request, queryset):
        self._mark(request, queryset, attended=False)
