"""Fields the Virtual School's forms share: a GOV.UK date input, text with a length
message, and choices labelled the way staff recognise them."""

import datetime

from django import forms

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


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK error messages.

    `what` names the date in messages: "Date of birth" gives "Enter the date of birth" unless
    `required_message` says otherwise, and "Date of birth must be a real date, like 27 3 2015".
    """

    widget = GovukDateWidget

    def __init__(
        self, *, what: str, example: str = "27 3 2015", required_message: str = "", **kwargs
    ):
        self.what = what
        self.example = example
        error_messages = {
            "required": required_message or f"Enter the {what.lower()}",
            "invalid": f"{what} must be a real date, like {example}",
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
                f"{self.what} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def text_field(
    label: str, *, required_message: str = "", max_length: int, required: bool = True, **kwargs
):
    messages = {"max_length": f"{label} must be {max_length} characters or fewer"}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=messages, **kwargs
    )


def count_field(label: str, what: str) -> forms.IntegerField:
    message = f"{what} must be a whole number, like 3"
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=32767,
        initial=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": f"Enter the number of {what.lower()}, or 0",
            "invalid": message,
            "min_value": f"{what} must be 0 or more",
            "max_value": f"{what} must be 32767 or fewer",
        },
    )


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} (URN {obj.urn})" if obj.urn else obj.name


class PupilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.last_name}, {obj.first_name} (born {obj.date_of_birth:%d/%m/%Y})"


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        born = f", born {obj.year_of_birth}" if obj.year_of_birth else ""
        return f"{obj.first_name}{born}"


class LocalAuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name
