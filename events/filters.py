import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import ChoiceSetField
from events.models import Event
from resources.models import Audience, Topic
from schools.models import LocalAuthority

# What each filter says when the query string holds a value it does not offer.
INVALID_CHOICE = {
    "kind": _("Choose type of event from the list"),
    "format": _("Choose online or in person from the list"),
    "topic": _("Choose topics from the list"),
    "area": _("Choose open to carers in from the list"),
    "audience": _("Choose who it is for from the list"),
}

# Who an event is for, as the list offers it: professionals' events are those for
# professionals or for schools (events.models.Event.for_professionals).
FOR = {
    Audience.CARERS: [Audience.CARERS],
    Audience.PROFESSIONALS: [Audience.PROFESSIONALS, Audience.SCHOOLS],
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

    audience = django_filters.ChoiceFilter(
        label=_("Who it is for"),
        choices=[
            (Audience.CARERS, _("Kinship carers")),
            (Audience.PROFESSIONALS, _("Professionals")),
        ],
        method="for_audience",
        empty_label=_("Everyone"),
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.required = False
            field.error_messages["invalid_choice"] = INVALID_CHOICE[name]

    def for_audience(self, queryset, name, value):
        wanted = Q(audiences="")  # an event for nobody in particular is for everyone
        for audience in FOR[value]:
            wanted |= Q(audiences__contains=ChoiceSetField.lookup_value(audience))
        return queryset.filter(wanted)

    def open_to_area(self, queryset, name, value):
        return queryset.filter(Q(local_authority__isnull=True) | Q(local_authority=value))
