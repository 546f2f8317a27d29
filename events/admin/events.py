"""Events in Django admin: curate them, see and export who is coming, change capacity, cancel,
duplicate. Every change goes through events.services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.bilingual_admin import FilledOnSaveAdmin, WelshVersionFilter, in_welsh
from core.templatetags.portal import govuk_datetime
from events import services
from events.admin import attendee_messages
from events.admin.attendees import attendees_csv_response
from events.admin.forms import EventAdminForm
from events.admin.materials import EventMaterialInline
from events.admin.series import EventSessionInline, SeriesAdminMixin
from events.admin.wording import bookings_cancelled
from events.models import Booking, Event
from events.selectors import attendee_bookings
from professionals.services import attendance_mark


@admin.register(Event)
class EventAdmin(SeriesAdminMixin, FilledOnSaveAdmin):
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
        in_welsh,
    ]
    list_filter = [
        "status",
        "kind",
        "format",
        ("local_authority", admin.RelatedOnlyFieldListFilter),
        "topics",
        WelshVersionFilter,
    ]
    search_fields = ["title", "title_cy", "organiser"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    autocomplete_fields = ["local_authority", "recording"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "series_link",
        "sessions_link",
        "attendees_link",
        "messages_sent",
        "feedback_summary",
        "created_at",
        "updated_at",
    ]
    actions = ["publish_events", "cancel_events", "duplicate_events", "export_attendees"]
    # A course's sessions (events.admin.series); recordings and materials, after the event.
    inlines = [EventSessionInline, EventMaterialInline]
    fieldsets = [
        (
            _("What"),
            {
                # English and Welsh side by side; Welsh left empty shows the English.
                "fields": [
                    ("title", "title_cy"),
                    "slug",
                    ("summary", "summary_cy"),
                    ("description", "description_cy"),
                    "kind",
                    "organiser",
                    "status",
                ]
            },
        ),
        (
            _("When and where"),
            {
                "fields": [
                    "starts_at",
                    "ends_at",
                    "series_link",
                    "sessions_link",
                    "format",
                    "join_url",
                    "join_link_by",
                    "venue_name",
                    "venue_address",
                    ("access_information", "access_information_cy"),
                ]
            },
        ),
        (
            _("Booking"),
            {
                "fields": [
                    "capacity",
                    "max_places_per_booking",
                    "booking_opens_at",
                    "booking_closes_at",
                    "attendees_link",
                    "messages_sent",
                ]
            },
        ),
        (_("Who it is for"), {"fields": ["audiences", "topics", "local_authority"]}),
        (
            _("After the event"),
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

    @admin.display(description=_("Starts"), ordering="starts_at")
    def starts_local(self, obj):
        return govuk_datetime(obj.starts_at)

    @admin.display(description=_("Places booked"), ordering="confirmed_places")
    def places_booked(self, obj):
        return obj.confirmed_places

    @admin.display(description=_("Waiting list"), ordering="waiting_count")
    def waiting_list(self, obj):
        return obj.waiting_count

    @admin.display(description=_("Places left"))
    def free_places(self, obj):
        return obj.places_left()

    @admin.display(description=_("Feedback from carers"))
    def feedback_summary(self, obj):
        if not obj.pk:
            return "-"
        feedback = list(obj.feedback.order_by("-created_at"))
        if not feedback:
            return gettext("No feedback yet")
        average = sum(f.rating for f in feedback) / len(feedback)
        no_comment = gettext("(no comment)")
        comments = format_html_join(
            "", "<li>{}/5 – {}</li>", ((f.rating, f.comment or no_comment) for f in feedback)
        )
        # format_html escapes every argument to a string first, so the number is formatted here.
        summary = gettext("%(count)s response(s), average %(average)s out of 5") % {
            "count": len(feedback),
            "average": f"{average:.1f}",
        }
        return format_html("<p>{}</p><ul>{}</ul>", summary, comments)

    @admin.display(description=_("Attendees"))
    def attendees_link(self, obj):
        if not obj.pk:
            return gettext("Save the event first")
        counts = gettext("(%(booked)s of %(capacity)s places booked, %(waiting)s waiting)") % {
            "booked": getattr(obj, "confirmed_places", 0),
            "capacity": obj.capacity,
            "waiting": getattr(obj, "waiting_count", 0),
        }
        return format_html(
            '<a href="{}">{}</a> {} · <a href="{}">{}</a>',
            reverse("admin:events_event_attendees", args=[obj.pk]),
            gettext("Attendees and waiting list"),
            counts,
            # professionals.admin: who came, to print and to mark (certificates follow).
            reverse("admin:professionals_attendance_register", args=[obj.pk]),
            gettext("Attendance register"),
        )

    @admin.display(description=_("Messages to attendees"))
    def messages_sent(self, obj):
        if not obj.pk:
            return gettext("Save the event first")
        return attendee_messages.messages_sent(obj)

    def save_model(self, request, obj, form, change):
        self._save_event(request, obj, form, change)
        # A new or changed join link for an event already published (and so perhaps booked):
        # the service e-mails it to everyone with a place. Not on first publishing: nobody
        # has booked a draft, and whoever books finds the link in their confirmation.
        if (
            change
            and "join_url" in form.changed_data
            and form.initial.get("status") == Event.Status.PUBLISHED
        ):
            told = services.event_join_link_changed(
                event=obj, old_link=form.initial.get("join_url") or ""
            )
            if told:
                messages.success(
                    request,
                    ngettext(
                        "We are emailing the join link to %(count)s person with a place.",
                        "We are emailing the join link to %(count)s people with a place.",
                        told,
                    )
                    % {"count": told},
                )

    def _save_event(self, request, obj, form, change):
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
            messages.success(
                request,
                ngettext(
                    "%(count)s person was moved from the waiting list. We have emailed them.",
                    "%(count)s people were moved from the waiting list. We have emailed them.",
                    moved,
                )
                % {"count": moved},
            )
        confirmed = Event.objects.with_places().get(pk=obj.pk).confirmed_places
        if confirmed > capacity:
            messages.warning(
                request,
                gettext(
                    "%(confirmed)s places are already booked, more than the new capacity of "
                    "%(capacity)s. Nobody has lost their place."
                )
                % {"confirmed": confirmed, "capacity": capacity},
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
            path(
                "<int:event_id>/message/",
                view(self.message_view),
                name="events_event_message",
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
                    # Through the register's service: someone marked present here is
                    # e-mailed their certificate too (when the event gives them).
                    attendance_mark(booking=booking, attended=values[raw])
                    changed += 1
            except services.BookingError as error:  # e.g. the event has not started yet
                messages.error(request, str(error))
                return redirect(request.path)
            messages.success(
                request,
                ngettext(
                    "Attendance saved for %(count)s booking.",
                    "Attendance saved for %(count)s bookings.",
                    changed,
                )
                % {"count": changed},
            )
            return redirect(request.path)

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            # CSS classes, as Django admin's own pages have them (kept out of the template's text).
            "body_class": f"app-{self.opts.app_label} model-{self.opts.model_name} attendees",
            "title": gettext("Attendees and waiting list"),
            "subtitle": event.title,
            "event": event,
            "confirmed": confirmed,
            "waiting": waiting,
            "started": started,
            "can_mark": can_mark,
            # Fewer places for a booking (BookingAdmin.reduce_places_view), until the start.
            "can_reduce_places": not started and request.user.has_perm("events.change_booking"),
            "has_view_permission": True,
            "csv_url": reverse("admin:events_event_attendees_csv", args=[event.pk]),
            "message_url": reverse("admin:events_event_message", args=[event.pk])
            if attendee_messages.can_message(request.user)
            else "",
        }
        return TemplateResponse(request, "admin/events/event/attendees.html", context)

    def message_view(self, request, event_id: int):
        return attendee_messages.message_view(self, request, self._event_or_404(request, event_id))

    def attendees_csv_view(self, request, event_id: int):
        event = self._event_or_404(request, event_id)
        return attendees_csv_response(
            attendee_bookings([event.pk]),
            filename=f"attendees-{event.slug}-{timezone.localdate():%Y-%m-%d}.csv",
        )

    # Actions

    @admin.action(description=_("Publish selected events"), permissions=["change"])
    def publish_events(self, request, queryset):
        published = 0
        for event in queryset.filter(status=Event.Status.DRAFT):
            try:
                services.event_publish(event=event)
            except services.BookingError as error:
                messages.error(
                    request,
                    gettext("%(event)s was not published: %(reason)s")
                    % {"event": event.title, "reason": error},
                )
            else:
                published += 1
        messages.success(
            request,
            ngettext("%(count)s event published.", "%(count)s events published.", published)
            % {"count": published},
        )

    @admin.action(
        description=_("Cancel selected events and tell everyone booked"), permissions=["change"]
    )
    def cancel_events(self, request, queryset):
        cancelled = told = 0
        for event in queryset:
            if event.status == Event.Status.CANCELLED:
                continue
            told += services.event_cancel(event=event)
            cancelled += 1
        events_cancelled = ngettext(
            "%(count)s event cancelled.", "%(count)s events cancelled.", cancelled
        ) % {"count": cancelled}
        # Two whole sentences.
        messages.success(request, f"{events_cancelled} {bookings_cancelled(told)}")

    @admin.action(
        description=_("Duplicate selected events for the following week"), permissions=["add"]
    )
    def duplicate_events(self, request, queryset):
        copies = [services.event_duplicate(event=event) for event in queryset]
        messages.success(
            request,
            ngettext(
                "%(count)s draft created a week later. Check the details, then publish them.",
                "%(count)s drafts created a week later. Check the details, then publish them.",
                len(copies),
            )
            % {"count": len(copies)},
        )

    @admin.action(description=_("Export attendees as CSV"), permissions=["view"])
    def export_attendees(self, request, queryset):
        return attendees_csv_response(
            attendee_bookings(queryset.values_list("pk", flat=True)),
            filename=f"attendees-{timezone.localdate():%Y-%m-%d}.csv",
        )
