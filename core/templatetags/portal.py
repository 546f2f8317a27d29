"""Dates and times the GOV.UK way: "Tuesday 10 December 2024", "11am", "11:30am", "midday"."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

register = template.Library()


@register.filter
def govuk_time(value: datetime.datetime | datetime.time | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.time()
    if value.hour == 12 and value.minute == 0:
        return gettext("midday")
    if value.hour == 0 and value.minute == 0:
        return gettext("midnight")
    hour = value.hour % 12 or 12
    clock = f"{hour}" if value.minute == 0 else f"{hour}:{value.minute:02d}"
    if value.hour < 12:
        # Translators: a time in the morning, as GOV.UK writes it: "11am", "11:30am".
        return gettext("%(time)sam") % {"time": clock}
    # Translators: a time after midday, as GOV.UK writes it: "3pm", "3:05pm".
    return gettext("%(time)spm") % {"time": clock}


@register.filter
def govuk_date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    # Django's own names for days and months, so a Welsh page reads "Dydd Mawrth 10 Rhagfyr 2024".
    return date_format(value, "l j F Y")


@register.filter
def govuk_datetime(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return f"{govuk_date(value)}, {govuk_time(value)}"


@register.filter
def short_datetime(value: datetime.datetime | None) -> str:
    """For a text message, where every character costs: "Tue 3 Dec, 10am"."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_format(local, 'D j M')}, {govuk_time(local)}"


def and_join(items) -> str:
    """Names in a sentence: "Jayden and Mia", in the active language."""
    # Translators: joins names, as in "Jayden and Mia".
    conjunction = pgettext("list of names", "and")
    return f" {conjunction} ".join(str(item) for item in items)


@register.filter(needs_autoescape=True)
def join_and(items, autoescape=True) -> str:
    """{{ names|join_and }}: like join:" and ", with "and" in the page's language."""
    if autoescape:
        return mark_safe(and_join(conditional_escape(item) for item in items))  # each item escaped
    return and_join(items)


@register.filter
def email_breaks(value) -> str:
    """{{ address|email_breaks }}: an e-mail address that may wrap only after its "@" and its
    dots, never inside a word ("virtual.<wbr>school@<wbr>leeds.<wbr>example")."""
    escaped = str(conditional_escape(value))
    return mark_safe(escaped.replace("@", "@<wbr>").replace(".", ".<wbr>"))  # escaped above
