import django_filters
from django.db.models import Q

from events.models import Event
from resources.models import Topic
from schools.models import LocalAuthority


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="Type of event", choices=Event.Kind.choices, empty_label="All types"
    )
    format = django_filters.ChoiceFilter(
        label="Online or in person", choices=Event.Format.choices, empty_label="Any"
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        field_name="topics",
        empty_label="All topics",
    )
    area = django_filters.ModelChoiceFilter(
        label="Open to carers in",
        queryset=LocalAuthority.objects.all(),
        method="open_to_area",
        empty_label="Any council area",
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.required = False
            field.error_messages["invalid_choice"] = f"Choose {field.label.lower()} from the list"

    def open_to_area(self, queryset, name, value):
        return queryset.filter(Q(local_authority__isnull=True) | Q(local_authority=value))
