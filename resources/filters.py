import django_filters
from django import forms
from django.db.models import Q

from core.choices import Arrangement
from resources.models import Audience, Resource, Stage, Topic
from resources.selectors import choice_filter, resource_search


class ResourceFilter(django_filters.FilterSet):
    """The library's search box and filters. Every filter combines with the others."""

    q = django_filters.CharFilter(
        label="Search advice and guides",
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
        empty_label="All topics",
    )
    kind = django_filters.ChoiceFilter(
        label="Type", choices=Resource.Kind.choices, empty_label="All types"
    )
    audience = django_filters.ChoiceFilter(
        label="Written for", choices=Audience.choices, method="choice_set", empty_label="Anyone"
    )
    arrangement = django_filters.ChoiceFilter(
        label="Arrangement",
        choices=Arrangement.choices,
        method="choice_set",
        empty_label="Any arrangement",
    )
    stage = django_filters.ChoiceFilter(
        label="Child's age", choices=Stage.choices, method="choice_set", empty_label="Any age"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[("relevance", "Most relevant"), ("newest", "Newest")],
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
            field.error_messages["invalid_choice"] = f"Choose {field.label.lower()} from the list"
        self.form.fields["q"].error_messages["max_length"] = (
            "Search words must be 200 characters or fewer"
        )

    def search(self, queryset, name, value):
        return resource_search(queryset, value)

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
