"""Professionals in Django admin, and each event's attendance register.

The register is for content admins (who see bookings): everyone with a confirmed place, who
they are, and a present or absent choice for each, saved together. Those marked present at
an event that gives certificates are e-mailed theirs (professionals.services)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from core.models import Notification
from events.models import Event
from events.services import BookingError
from professionals import selectors, services
from professionals.models import ProfessionalProfile

# The register's radio values.
PRESENT, ABSENT, NOT_RECORDED = "present", "absent", ""
MARKS = {PRESENT: True, ABSENT: False, NOT_RECORDED: None}


@admin.register(ProfessionalProfile)
class ProfessionalProfileAdmin(admin.ModelAdmin):
    """Made at sign-up and changed by the person; operators can see and correct them."""

    list_display = ["user", "role", "organisation", "local_authority", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "local_authority"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation"]
    autocomplete_fields = ["local_authority"]
    readonly_fields = ["user", "created_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "register/<int:event_id>/",
                self.admin_site.admin_view(self.register_view),
                name="professionals_attendance_register",
            ),
            *super().get_urls(),
        ]

    def register_view(self, request, event_id: int):
        user = request.user
        if not user.has_perm("events.view_booking"):
            raise PermissionDenied
        event = Event.objects.with_places().filter(pk=event_id).first()
        if event is None:
            raise Http404("No event with this ID")
        started = timezone.now() >= event.starts_at
        can_mark = started and user.has_perm("events.change_booking")
        bookings = list(selectors.register_bookings(event))

        if request.method == "POST":
            if not can_mark:
                raise PermissionDenied
            marks = {}
            for booking in bookings:
                raw = request.POST.get(f"attended-{booking.pk}", NOT_RECORDED)
                if raw not in MARKS:
                    messages.error(request, gettext("Choose present or absent for each person"))
                    return redirect(request.path)
                marks[booking.pk] = MARKS[raw]
            try:
                changed = services.attendance_register_save(event=event, marks=marks)
            except BookingError as error:
                messages.error(request, str(error))
                return redirect(request.path)
            saved = ngettext(
                "Attendance saved for %(count)s person.",
                "Attendance saved for %(count)s people.",
                changed,
            ) % {"count": changed}
            if changed and selectors.gives_certificates(event):
                saved += " " + gettext(
                    "Everyone marked present is sent their certificate of attendance by email, "
                    "once."
                )
            messages.success(request, saved)
            return redirect(request.path)

        sent = dict(
            Notification.objects.filter(
                kind=Notification.Kind.CERTIFICATE,
                key__in=[services.certificate_key(b) for b in bookings],
            ).values_list("key", "status")
        )
        for booking in bookings:
            booking.role, booking.organisation = selectors.who_they_are(booking.user)
            booking.certificate_status = sent.get(services.certificate_key(booking))
        context = {
            **self.admin_site.each_context(request),
            "opts": Event._meta,
            # CSS classes, as Django admin's own pages have them (kept out of the template's text).
            "body_class": "app-events model-event attendance-register",
            "title": gettext("Attendance register"),
            "subtitle": event.title,
            "event": event,
            "days": selectors.event_days(event),
            "bookings": bookings,
            "places": sum(b.places for b in bookings),
            "started": started,
            "can_mark": can_mark,
            "gives_certificates": selectors.gives_certificates(event),
            "statuses": Notification.Status,
            "attendees_url": reverse("admin:events_event_attendees", args=[event.pk]),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/professionals/register.html", context)
