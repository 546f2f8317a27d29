"""Bookings in Django admin: see them, cancel them, reduce their places, record attendance,
book on a carer's behalf. Every change goes through events.services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import services
from events.admin.forms import BookOnBehalfForm, ReducePlacesForm
from events.admin.wording import bookings_cancelled
from events.models import Booking

ACTIVE = [Booking.Status.CONFIRMED, Booking.Status.WAITLISTED]


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
        "reduce_places_link",
        "status",
        "access_needs",
        "question",
        "booked_by",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "attended",
    ]
    add_fields = ["event", "carer_email", "places", "access_needs", "question"]

    @admin.display(description=_("Email"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email if obj.user else obj.person_name

    @admin.display(description=_("Fewer places"))
    def reduce_places_link(self, obj):
        if not services.booking_can_reduce_places(obj):
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:events_booking_reduce_places", args=[obj.pk]),
            gettext("Reduce the number of places"),
        )

    # Reduce a booking's places: a page of its own, as the change page is view-only.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/places/",
                self.admin_site.admin_view(self.reduce_places_view),
                name="events_booking_reduce_places",
            ),
            *super().get_urls(),
        ]

    def reduce_places_view(self, request, object_id: str):
        if not self.has_change_permission(request):
            raise PermissionDenied
        booking = (
            Booking.objects.select_related("event", "user").filter(pk=object_id).first()
            if object_id.isdigit()
            else None
        )
        if booking is None:
            raise Http404("No booking with this ID")
        attendees_url = reverse("admin:events_event_attendees", args=[booking.event_id])
        can_reduce = services.booking_can_reduce_places(booking)
        form = ReducePlacesForm(request.POST or None, booking=booking)
        if request.method == "POST" and can_reduce and form.is_valid():
            places = form.cleaned_data["places"]
            try:
                promoted = services.booking_reduce_places(
                    booking=booking, places=places, changed_by=request.user
                )
            except services.BookingError as error:
                form.add_error("places" if error.field == "places" else None, str(error))
            else:
                message = ngettext(
                    "%(name)s now has %(count)s place.",
                    "%(name)s now has %(count)s places.",
                    places,
                ) % {"name": booking.person_name, "count": places}
                if promoted:
                    moved = ngettext(
                        "%(count)s person was moved from the waiting list and emailed.",
                        "%(count)s people were moved from the waiting list and emailed.",
                        len(promoted),
                    ) % {"count": len(promoted)}
                    message = f"{message} {moved}"  # two whole sentences
                messages.success(request, message)
                return redirect(attendees_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            # CSS classes, as Django admin's own pages have them (kept out of the template's text).
            "body_class": f"app-{self.opts.app_label} model-{self.opts.model_name} change-form",
            "title": gettext("Reduce the number of places"),
            "subtitle": booking.person_name,
            "booking": booking,
            "event": booking.event,
            "form": form,
            "can_reduce": can_reduce,
            "attendees_url": attendees_url,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/events/booking/reduce_places.html", context)

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
                question=data.get("question") or "",
                booked_by=request.user,
            )
        except services.BookingError as exc:
            # The form has already run booking_check: this only happens on a race.
            messages.error(
                request, gettext("The booking was not made: %(reason)s") % {"reason": exc}
            )
            return
        for field in Booking._meta.concrete_fields:
            setattr(obj, field.attname, getattr(booking, field.attname))
        if booking.status == Booking.Status.CONFIRMED:
            messages.success(
                request,
                gettext(
                    "%(email)s has a place at %(event)s. We have emailed them their confirmation."
                )
                % {"email": booking.user.email, "event": booking.event},
            )
        else:
            messages.warning(
                request,
                gettext(
                    "%(event)s is full, so %(email)s is on the waiting list. We have emailed them."
                )
                % {"event": booking.event, "email": booking.user.email},
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
        description=_("Cancel selected bookings (the waiting list moves up; everyone is emailed)"),
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
        message = bookings_cancelled(cancelled)
        if promoted:
            moved = ngettext(
                "%(count)s person was moved from the waiting list and emailed.",
                "%(count)s people were moved from the waiting list and emailed.",
                promoted,
            ) % {"count": promoted}
            message = f"{message} {moved}"  # two whole sentences
        messages.success(request, message)

    def _mark(self, request, queryset, attended: bool) -> None:
        eligible = queryset.filter(
            status=Booking.Status.CONFIRMED, event__starts_at__lte=timezone.now()
        )
        marked = 0
        for booking in eligible:
            services.booking_mark_attendance(booking=booking, attended=attended)
            marked += 1
        messages.success(
            request,
            ngettext(
                "Attendance recorded for %(count)s booking.",
                "Attendance recorded for %(count)s bookings.",
                marked,
            )
            % {"count": marked},
        )
        skipped = queryset.count() - marked
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)s booking skipped: attendance is only recorded for confirmed "
                    "places once the event has started.",
                    "%(count)s bookings skipped: attendance is only recorded for confirmed "
                    "places once the event has started.",
                    skipped,
                )
                % {"count": skipped},
            )

    @admin.action(description=_("Mark as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, attended=True)

    @admin.action(description=_("Mark as did not attend"), permissions=["change"])
    def mark_not_attended(self, request, queryset):
        self._mark(request, queryset, attended=False)
