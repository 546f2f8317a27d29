"""How long something lasted, and when, in words: "2 hours 30 minutes", in the active language."""

import datetime
from collections.abc import Iterable

from django.utils.translation import ngettext, pgettext

from core.templatetags.portal import govuk_date


def duration_words(duration: datetime.timedelta) -> str:
    """ "2 hours 30 minutes", "1 hour", "45 minutes" (to the nearest minute)."""
    minutes_in_all = max(round(duration.total_seconds() / 60), 0)
    hours, minutes = divmod(minutes_in_all, 60)
    hours_text = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    minutes_text = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    if hours and minutes:
        # Translators: a length of time, as in "2 hours 30 minutes".
        return pgettext("duration", "%(hours)s %(minutes)s") % {
            "hours": hours_text,
            "minutes": minutes_text,
        }
    return hours_text if hours else minutes_text


def dates_words(days: Iterable[datetime.date]) -> str:
    """ "Tuesday 3 March 2027", or several: "Tuesday 3 March 2027, Tuesday 10 March 2027 and
    Tuesday 17 March 2027"."""
    dates = [govuk_date(day) for day in days]
    if len(dates) < 2:
        return "".join(dates)
    # The "and" of a list, as core.templatetags.portal.and_join writes it.
    conjunction = pgettext("list of names", "and")
    return f"{', '.join(dates[:-1])} {conjunction} {dates[-1]}"
