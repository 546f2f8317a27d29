"""How the dates of courses read in lists: {{ event|course_dates }}, {{ session|session_when }}."""

from django import template
from django.utils.translation import ngettext

from events import dates

register = template.Library()


@register.filter
def course_dates(event) -> str:
    """ "6 sessions, 7 January to 11 February 2027": a course in a list, from its
    `session_count` (events_for_listing) and its first and last days, with no query."""
    count = getattr(event, "session_count", 0)
    sessions = ngettext("%(count)s session", "%(count)s sessions", count) % {"count": count}
    return f"{sessions}, {dates.date_range(event.starts_at, event.ends_at)}"


@register.filter
def session_when(session) -> str:
    """ "Tuesday 7 January 2027, 10am to midday"."""
    return dates.session_when(session)
