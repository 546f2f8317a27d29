import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import ChoiceSetField
from localoffer.models import GroupFormat, GroupTheme, SupportGroup
from schools.models import LocalAuthority

INVALID_CHOICE = {
    "q": "",
    "council": _("Choose a council from the list"),
    "format": _("Choose online or in person from the list"),
    "theme": _("Choose who the group is for from the list"),
}
# The words a carer types are looked for in these, in English and in Welsh.
SEARCHED_FIELDS = (
    "name",
    "name_cy",
    "description",
    "description_cy",
    "run_by",
    "venue",
    "local_authority__name",
)


class SupportGroupFilter(django_filters.FilterSet):
    """The support groups directory: each filter combines with the others; within the
    checkboxes, any ticked value matches."""

    q = django_filters.CharFilter(
        label=_("Search groups"),
        help_text=_("For example, a town, “dads” or “online”"),
        method="matching_words",
        max_length=100,
    )
    council = django_filters.ModelChoiceFilter(
        label=_("Council area"),
        queryset=LocalAuthority.objects.all(),
        method="in_council",
        empty_label=_("Any council area"),
        help_text=_("National and online groups are shown for every council."),
    )
    format = django_filters.MultipleChoiceFilter(
        label=_("Online or in person"),
        choices=GroupFormat.choices,
        method="in_format",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
    )
    theme = django_filters.MultipleChoiceFilter(
        label=_("Who it is for"),
        choices=GroupTheme.choices,
        method="for_theme",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
    )

    class Meta:
        model = SupportGroup
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.required = False
            if INVALID_CHOICE[name]:
                field.error_messages["invalid_choice"] = INVALID_CHOICE[name]
                field.error_messages["invalid_pk_value"] = INVALID_CHOICE[name]
        self.form.fields["q"].error_messages["max_length"] = _(
            "Search words must be 100 characters or fewer"
        )

    def matching_words(self, queryset, name, value):
        """Every word somewhere in the group: its name, description, who runs it, its venue
        or its council."""
        for word in value.split()[:8]:
            anywhere = Q()
            for field in SEARCHED_FIELDS:
                anywhere |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(anywhere)
        return queryset

    def in_council(self, queryset, name, value):
        return queryset.filter(Q(local_authority__isnull=True) | Q(local_authority=value))

    def in_format(self, queryset, name, value):
        # A group that meets both online and in person suits someone looking for either.
        return queryset.filter(format__in=[*value, GroupFormat.BOTH])

    def for_theme(self, queryset, name, value):
        wanted = Q()
        for theme in value:
            wanted |= Q(themes__contains=ChoiceSetField.lookup_value(theme))
        return queryset.filter(wanted)
