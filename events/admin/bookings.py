"""Bookings in Django admin: see them, cancel them, record attendance, book on a carer's behalf.
Every change goes through events.services."""

from django.contrib import admin, messages
from django.db.models import Case, Value, When
from django.http import HttpResponseRedirect
from django.utils import timezone

from events import services
from events.admin.forms import BookOnBehalfForm
from events.admin.wording import count as _count
from events.admin.wording import people as _people
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
        return obj.user.email if obj.user else obj.person_name

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
