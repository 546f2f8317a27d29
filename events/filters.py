import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event
from resources.models import Topic
from schools.models import LocalAuthority

# What each filter says when the query string holds a value it does not offer.
INVALID_CHOICE = {
    "kind": _("Choose type of event from the list"),
    "format": _("Choose online or in person from the list"),
    "topic": _("Choose topics from the list"),
    "area": _("Choose open to carers in from the list"),
}


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Type of event"), choices=Event.Kind.choices, empty_label=_("All types")
    )
    format = django_filters.ChoiceFilter(
        label=_("Online or in person"), choices=Event.Format.choices, empty_label=_("Any")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topics"),
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        field_name="topics",
        empty_label=_("All topics"),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Open to carers in"),
        queryset=LocalAuthority.objects.all(),
        method="open_to_area",
        empty_label=_("Any council area"),
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.required = False
            field.error_messages["invalid_choice"] = INVALID_CHOICE[name]

    def open_to_area(self, queryset, name, value):
        return queryset.filter(Q(local_authority__isnull=True) | Q(local_authority=value))
