"""Messages both admin modules give, in the admin's language with its plural forms."""

from django.utils.translation import ngettext


def bookings_cancelled(n: int) -> str:
    return ngettext(
        "%(count)s booking cancelled and each person emailed.",
        "%(count)s bookings cancelled and each person emailed.",
        n,
    ) % {"count": n}
