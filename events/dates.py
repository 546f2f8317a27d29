"""How the dates of series and courses are worked out and written.

A series repeats every week or every few weeks on the same weekday, every month on the
same weekday of the month as its first date ("first Tuesday", "last Friday"), or on a list
of dates. Dates keep their London wall-clock time across the clocks changing.
"""

import calendar
import datetime

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.templatetags.portal import govuk_date, govuk_time

WEEKLY_REPEAT, MONTHLY_REPEAT, DATES_REPEAT = "weekly", "monthly", "dates"
MIN_DATES, MAX_DATES = 2, 52  # how many dates a rule makes, the first one included
LAST = -1

# "Tuesdays 7 January to 11 February 2027": a course's sessions all on one weekday.
WEEKDAYS_PLURAL = {
    0: pgettext_lazy("every week on", "Mondays"),
    1: pgettext_lazy("every week on", "Tuesdays"),
    2: pgettext_lazy("every week on", "Wednesdays"),
    3: pgettext_lazy("every week on", "Thursdays"),
    4: pgettext_lazy("every week on", "Fridays"),
    5: pgettext_lazy("every week on", "Saturdays"),
    6: pgettext_lazy("every week on", "Sundays"),
}

# "First Tuesday of each month": one sentence each, as the order of words differs in Welsh.
MONTHLY_RULES = {
    1: _("First %(weekday)s of each month"),
    2: _("Second %(weekday)s of each month"),
    3: _("Third %(weekday)s of each month"),
    4: _("Fourth %(weekday)s of each month"),
    LAST: _("Last %(weekday)s of each month"),
}


def nth_weekday(day: datetime.date) -> int:
    """Which of its month's weekdays `day` is: 1 to 4, or LAST when it falls in the month's
    last 7 days (a fifth Tuesday is always the last; a fourth one may be too)."""
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    if day.day + 7 > days_in_month:
        return LAST
    return (day.day - 1) // 7 + 1


def repeat_starts(
    *,
    first: datetime.datetime,
    frequency: str,
    interval: int = 1,
    count: int = 0,
    dates: tuple[datetime.date, ...] | list[datetime.date] = (),
) -> list[datetime.datetime]:
    """When each date starts, `first` included, at the same London time of day.

    weekly: `count` dates, every `interval` weeks; monthly: `count` dates on the same weekday
    of the month as `first` (its last one when `first` is); dates: `first`, then each of
    `dates` (in order, once each) at the time `first` starts."""
    tz = timezone.get_current_timezone()
    local = timezone.localtime(first, tz).replace(tzinfo=None)
    if frequency == WEEKLY_REPEAT:
        starts = list(rrule(WEEKLY, dtstart=local, interval=interval, count=count))
    elif frequency == MONTHLY_REPEAT:
        on = weekday(local.weekday(), nth_weekday(local.date()))
        starts = list(rrule(MONTHLY, dtstart=local, byweekday=on, count=count))
    else:
        later = sorted({day for day in dates if day != local.date()})
        starts = [local, *(datetime.datetime.combine(day, local.time()) for day in later)]
    return [timezone.make_aware(start, tz) for start in starts]


def repeat_rule_text(*, first: datetime.datetime, frequency: str, interval: int = 1) -> str:
    """The rule in words: "Every 2 weeks (Tuesday)", "First Tuesday of each month"."""
    local = timezone.localtime(first)
    day = WEEKDAYS[local.weekday()]
    if frequency == WEEKLY_REPEAT:
        return ngettext(
            "Every week (%(weekday)s)", "Every %(count)s weeks (%(weekday)s)", interval
        ) % {"count": interval, "weekday": day}
    if frequency == MONTHLY_REPEAT:
        return str(MONTHLY_RULES[nth_weekday(local.date())]) % {"weekday": day}
    return gettext("On the dates listed")


def date_range(first: datetime.datetime, last: datetime.datetime) -> str:
    """ "7 January to 11 February 2027"; "7 December 2026 to 11 February 2027"; one date alone."""
    first, last = timezone.localtime(first).date(), timezone.localtime(last).date()
    if first == last:
        return date_format(first, "j F Y")
    start = date_format(first, "j F" if first.year == last.year else "j F Y")
    return gettext("%(start)s to %(end)s") % {"start": start, "end": date_format(last, "j F Y")}


def numbered(sessions) -> list:
    """A course's sessions (all of them, in order), each with `.number` from 1: a session
    keeps its number when another is cancelled."""
    for number, session in enumerate(sessions, 1):
        session.number = number
    return list(sessions)


def course_summary(sessions) -> str:
    """ "6 sessions, Tuesdays 7 January to 11 February 2027, 10am to midday": the weekday
    when every session is on the same one, the times when every session has the same."""
    sessions = list(sessions)
    if not sessions:
        return ""
    starts = [timezone.localtime(s.starts_at) for s in sessions]
    ends = [timezone.localtime(s.ends_at) for s in sessions]
    parts = [
        ngettext("%(count)s session", "%(count)s sessions", len(sessions))
        % {"count": len(sessions)}
    ]
    when = date_range(starts[0], ends[-1])
    if len(sessions) > 1 and len({start.weekday() for start in starts}) == 1:
        when = f"{WEEKDAYS_PLURAL[starts[0].weekday()]} {when}"
    parts.append(when)
    if len({(s.time(), e.time()) for s, e in zip(starts, ends, strict=True)}) == 1:
        parts.append(
            gettext("%(start)s to %(end)s")
            % {"start": govuk_time(starts[0]), "end": govuk_time(ends[0])}
        )
    return ", ".join(parts)


def session_when(session) -> str:
    """ "Tuesday 7 January 2027, 10am to midday"."""
    return gettext("%(date)s, %(start)s to %(end)s") % {
        "date": govuk_date(session.starts_at),
        "start": govuk_time(session.starts_at),
        "end": govuk_time(session.ends_at),
    }
