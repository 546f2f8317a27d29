import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import Arrangement
from resources.models import Audience, Resource, Stage, Topic
from resources.search import search as library_search
from resources.selectors import choice_filter


class ResourceFilter(django_filters.FilterSet):
    """The library's search box and filters. Every filter combines with the others."""

    # Behind the page's "Filter" toggle on phones; the search words and the sort order are
    # not filters (the search box stays in view, sorting narrows nothing).
    FILTERS = ("topic", "kind", "arrangement", "stage", "audience")

    q = django_filters.CharFilter(
        label=_("Search advice and guides"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "true"}
        ),
        max_length=200,
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        field_name="topics",
        label=_("Topics"),
        empty_label=_("All topics"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=Resource.Kind.choices, empty_label=_("All types")
    )
    audience = django_filters.ChoiceFilter(
        label=_("Written for"),
        choices=Audience.choices,
        method="choice_set",
        empty_label=_("Anyone"),
    )
    arrangement = django_filters.ChoiceFilter(
        label=_("Arrangement"),
        choices=Arrangement.choices,
        method="choice_set",
        empty_label=_("Any arrangement"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Child's age"),
        choices=Stage.choices,
        method="choice_set",
        empty_label=_("Any age"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("relevance", _("Most relevant")), ("newest", _("Newest"))],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Resource
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.required = False
            field.error_messages["invalid_choice"] = gettext("Choose %(field)s from the list") % {
                "field": str(field.label).lower()
            }
        self.form.fields["q"].error_messages["max_length"] = gettext(
            "Search words must be 200 characters or fewer"
        )

    def applied(self) -> list[tuple[str, str, str]]:
        """The filters in use, each as (name, label, the chosen value as a person reads it).
        A value the form rejected is not in use: the page shows its error instead."""
        if not self.is_bound:
            return []
        self.form.is_valid()  # cleans the form once; cleaned_data keeps the fields that passed
        applied = []
        for name in self.FILTERS:
            value = self.form.cleaned_data.get(name)
            if not value:
                continue
            field = self.form.fields[name]
            shown = dict(field.choices).get(value, value) if name != "topic" else value
            applied.append((name, str(field.label), str(shown)))
        return applied

    def search(self, queryset, name, value):
        # Kept for the page: best bets, and the corrected words when a typo was corrected.
        self.search_outcome = library_search(queryset, value)
        return self.search_outcome.results

    def choice_set(self, queryset, name, value):
        # Resources with no limit set apply to everyone, so they match every filter value.
        field = {"audience": "audiences", "arrangement": "arrangements", "stage": "stages"}[name]
        if name == "audience":
            return queryset.filter(choice_filter(field, value))
        return queryset.filter(choice_filter(field, value) | Q(**{field: ""}))

    def sort_by(self, queryset, name, value):
        if value == "newest" or not self.form.cleaned_data.get("q"):
            return queryset.order_by("-published_at", "-pk")
        return queryset
