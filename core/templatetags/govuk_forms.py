"""Form fields rendered without a template per part.

A select's options are written here in one pass rather than by rendering a template for
each option (Django's `field.subwidgets`): a Virtual School's school filter has well over a
thousand options, which took most of the pupil list's time.
"""

import html

from django import template
from django.utils.safestring import SafeData, SafeString, mark_safe

register = template.Library()


def _escape(text) -> str:
    return text if isinstance(text, SafeData) else html.escape(str(text))


def _flat_choices(choices):
    """(value, label) pairs, with the options of any group in place of the group."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


@register.filter
def select_options(field) -> SafeString:
    """The <option>s of a bound select, the chosen one (or ones) marked selected, as
    Django's Select widget marks them."""
    widget = field.field.widget
    chosen = set(widget.format_value(field.value()))
    multiple = widget.allow_multiple_selected
    options = []
    for value, label in _flat_choices(widget.choices):
        value = "" if value is None else str(value)
        selected = value in chosen
        if selected and not multiple:
            chosen = set()  # like Django, a single select marks its first match only
        options.append(
            f'<option value="{_escape(value)}"{" selected" if selected else ""}>'
            f"{_escape(label)}</option>"
        )
    return mark_safe("\n".join(options))  # noqa: S308 - every value and label is escaped above


@register.filter
def first_option_empty(field) -> bool:
    """Whether the select starts with an empty choice ("Choose …"), which is when HTML lets
    it be marked required."""
    for value, _label in _flat_choices(field.field.widget.choices):
        return value is None or str(value) == ""
    return False
