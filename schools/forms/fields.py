"""Fields the Virtual School's forms share: a GOV.UK date input, text with a length
message, and choices labelled the way staff recognise them."""

import datetime

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A GOV.UK date input: day, month and year boxes -----------------------------------------------


class GovukDateWidget(forms.MultiWidget):
    """Three boxes named <name>_day, <name>_month and <name>_year."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            {
                "day": forms.TextInput(attrs=numeric),
                "month": forms.TextInput(attrs=numeric),
                "year": forms.TextInput(attrs=numeric),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        # The error summary links to the day box, as the GOV.UK date input pattern asks.
        return f"{id_}_0" if id_ else ""


def _date_message(message, what, example: str = "", lower: bool = False) -> str:
    """`message` with the date's name (translated when shown) put in as %(what)s."""
    what = str(what)
    return str(message) % {"what": what.lower() if lower else what, "example": example}


date_message = lazy(_date_message, str)

# Which parts of a date are missing -> the message, so each reads whole in every language.
INCOMPLETE_DATE_MESSAGES = {
    ("day",): _("%(what)s must include a day"),
    ("month",): _("%(what)s must include a month"),
    ("year",): _("%(what)s must include a year"),
    ("day", "month"): _("%(what)s must include a day and month"),
    ("day", "year"): _("%(what)s must include a day and year"),
    ("month", "year"): _("%(what)s must include a month and year"),
    ("day", "month", "year"): _("%(what)s must include a day and month and year"),
}


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK error messages.

    `what` names the date in messages: "Date of birth" gives "Enter the date of birth" unless
    `required_message` says otherwise, and "Date of birth must be a real date, like 27 3 2015".
    Give it as pgettext_lazy("date named in error messages", ...): in Welsh the name sits
    mid-sentence ("Rhaid i'r dyddiad geni ..."), so its translation is written in lower case.
    """

    widget = GovukDateWidget

    def __init__(
        self, *, what: str, example: str = "27 3 2015", required_message: str = "", **kwargs
    ):
        self.what = what
        self.example = example
        error_messages = {
            "required": required_message or date_message(_("Enter the %(what)s"), what, lower=True),
            "invalid": date_message(
                _("%(what)s must be a real date, like %(example)s"), what, example
            ),
        }
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(
            fields=fields, require_all_fields=False, error_messages=error_messages, **kwargs
        )

    def compress(self, data_list):
        if not data_list:
            return None
        parts = dict(
            zip(("day", "month", "year"), (str(p or "").strip() for p in data_list), strict=True)
        )
        missing = [name for name, value in parts.items() if not value]
        if missing:
            raise forms.ValidationError(
                _date_message(INCOMPLETE_DATE_MESSAGES[tuple(missing)], self.what),
                code="incomplete",
            )
        if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def text_field(
    label: str,
    *,
    required_message: str = "",
    too_long_message: str,
    max_length: int,
    required: bool = True,
    **kwargs,
):
    messages = {"max_length": too_long_message}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=messages, **kwargs
    )


def count_field(
    label: str, *, required_message: str, invalid_message: str, min_message: str, max_message: str
) -> forms.IntegerField:
    """A number of things, 0 or more. Each message is whole, so it reads right when translated."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=32767,
        initial=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": required_message,
            "invalid": invalid_message,
            "min_value": min_message,
            "max_value": max_message,
        },
    )


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.urn:
            return gettext("%(name)s (URN %(urn)s)") % {"name": obj.name, "urn": obj.urn}
        return obj.name


class PupilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return gettext("%(last_name)s, %(first_name)s (born %(date)s)") % {
            "last_name": obj.last_name,
            "first_name": obj.first_name,
            "date": f"{obj.date_of_birth:%d/%m/%Y}",
        }


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.year_of_birth:
            return gettext("%(name)s, born %(year)s") % {
                "name": obj.first_name,
                "year": obj.year_of_birth,
            }
        return obj.first_name


class LocalAuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name
