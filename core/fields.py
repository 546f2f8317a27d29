"""A set of choices stored in one column, so filters work the same on PostgreSQL and SQLite.

Stored as ",a,b," (wrapped in commas) so ``field__contains=",a,"`` matches one
value exactly; empty means "not limited". Admin shows it as checkboxes.
"""

from django import forms
from django.core import exceptions
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class ChoiceSetField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 200:
            del kwargs["max_length"]
        kwargs.pop("blank", None)
        kwargs.pop("default", None)
        return name, path, args, kwargs

    @staticmethod
    def lookup_value(value: str) -> str:
        """What to pass to ``__contains`` to find rows holding `value`."""
        return f",{value},"

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, (list, tuple, set)):
            return [str(v) for v in value]
        return [part for part in str(value).split(",") if part]

    def get_prep_value(self, value):
        if isinstance(value, str):  # a lookup value, already in stored form
            return value
        values = [str(v) for v in (value or [])]
        return f",{','.join(values)}," if values else ""

    def validate(self, value, model_instance):
        valid = {str(k) for k, _label in self.flatchoices}
        for item in value or []:
            if item not in valid:
                raise exceptions.ValidationError(
                    _("%(value)s is not a valid choice"),
                    code="invalid_choice",
                    params={"value": item},
                )

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices,
            required=not self.blank,
            label=capfirst(self.verbose_name),  # lazy: the label follows the language
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
            coerce=str,
        )

    def get_choices(self, *args, **kwargs):
        return list(self.choices or [])

    def _check_choices(self):
        return []

    @property
    def validators(self):
        return []
