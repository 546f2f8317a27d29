"""Attendee lists as CSV: the per-event page and the export share the same rows
(events.selectors.attendee_bookings)."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import csv_response
from events.models import Booking

CSV_HEADER = [
    _("Event"),
    _("Starts"),
    _("Name"),
    _("Email"),
    _("Places"),
    _("Status"),
    _("Access needs"),
    _("Question for the speaker"),
    _("Booked on behalf by"),
    _("Attended"),
]


def attendees_csv_response(bookings: Iterable[Booking], filename: str) -> HttpResponse:
    rows = (
        [
            booking.event.title,
            booking.event.starts_at,
            booking.user.get_full_name() if booking.user else booking.person_name,
            booking.user.email if booking.user else "",
            booking.places,
            booking.get_status_display(),
            booking.access_needs,
            booking.question,
            booking.booked_by.email if booking.booked_by else "",
            booking.attended,
        ]
        for booking in bookings
    )
    return csv_response(filename, CSV_HEADER, rows)
