"""Search and filters for the pupil list, the liaison log and the reports. Every filter
combines with the others."""

import django_filters
from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.choices import Arrangement, YearGroup
from schools import terms
from schools.forms.fields import GovukDateField
from schools.models import KinshipPupil, LiaisonRecord, School
from schools.selectors.records import PERSISTENT_ABSENCE_AT
from schools.selectors.reports import ReportScope, year_group_q

ANY_SEND = "any"
# The years a report's dates may be in.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class _SchoolNames(ModelChoiceIterator):
    """(pk, name) pairs read straight from the database: a Virtual School can have well over
    a thousand schools, and making a School for each option took much of the page's time."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.order_by("name", "pk").values_list("pk", "name")


class _SchoolField(django_filters.fields.ModelChoiceField):
    iterator = _SchoolNames


class SchoolFilter(django_filters.ModelChoiceFilter):
    field_class = _SchoolField


class _GovukFilterSet(django_filters.FilterSet):
    """Optional fields with GOV.UK error messages; schools limited to this Virtual School.

    `invalid_choice` holds each choice filter's whole message ("Choose school from the list"),
    so it reads right when translated."""

    invalid_choice: dict = {}

    def __init__(self, *args, virtual_school, **kwargs):
        super().__init__(*args, **kwargs)
        if "school" in self.filters:
            self.filters["school"].queryset = School.objects.filter(virtual_school=virtual_school)
        for name, field in self.form.fields.items():
            field.required = False
            if name in self.invalid_choice:
                field.error_messages["invalid_choice"] = self.invalid_choice[name]

    @property
    def active(self) -> bool:
        """Whether any filter is in use, for "Clear filters"."""
        if not self.is_bound:
            return False
        self.form.is_valid()  # fills cleaned_data with the values that are valid
        return any(self.form.cleaned_data.values())


class PupilFilter(_GovukFilterSet):
    q = django_filters.CharFilter(
        label=_("Search by name or UPN"),
        method="search",
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    school = SchoolFilter(
        label=_("School"), queryset=School.objects.none(), empty_label=_("All schools")
    )
    year_group = django_filters.ChoiceFilter(
        label=_("Year group"),
        choices=YearGroup.choices,
        method="in_year_group",
        empty_label=_("All year groups"),
    )
    arrangement = django_filters.ChoiceFilter(
        label=_("Arrangement"), choices=Arrangement.choices, empty_label=_("Any arrangement")
    )
    send = django_filters.ChoiceFilter(
        label=_("SEND"),
        choices=[(ANY_SEND, _("SEN support or EHC plan"))] + KinshipPupil.Send.choices,
        method="with_send",
        empty_label=_("Any"),
    )
    persistent_absence = django_filters.BooleanFilter(
        label=_("Persistent absence at their latest review"),
        method="persistently_absent",
        widget=forms.CheckboxInput,
    )
    # Without a choice, the list shows current pupils only (see with_leavers).
    left = django_filters.ChoiceFilter(
        label=_("Pupils who have left"),
        choices=[
            ("only", _("Only pupils who have left")),
            ("also", _("Include pupils who have left")),
        ],
        method="who_left",
        empty_label=_("Current pupils only"),
    )
    invalid_choice = {
        "school": _("Choose school from the list"),
        "year_group": _("Choose year group from the list"),
        "arrangement": _("Choose arrangement from the list"),
        "send": _("Choose send from the list"),
        "left": _("Choose pupils who have left from the list"),
    }

    class Meta:
        model = KinshipPupil
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].error_messages["max_length"] = gettext(
            "Search words must be 100 characters or fewer"
        )

    def search(self, queryset, name, value):
        """Every word must be in the first or last name, or the whole search is (part of) the UPN."""
        words = value.split()
        names = Q()
        for word in words:
            names &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return queryset.filter(names | Q(upn__icontains="".join(words).upper()))

    def in_year_group(self, queryset, name, value):
        # In the database: dates of birth for this academic year, or the override.
        return queryset.filter(year_group_q(value, timezone.localdate()))

    def with_send(self, queryset, name, value):
        if value == ANY_SEND:
            return queryset.exclude(send_status=KinshipPupil.Send.NONE)
        return queryset.filter(send_status=value)

    def who_left(self, queryset, name, value):
        return queryset.filter(left_on__isnull=False) if value == "only" else queryset

    def with_leavers(self, queryset):
        """Pupils who have left are listed only when asked for."""
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("left"):
            return queryset
        return queryset.filter(left_on__isnull=True)

    def persistently_absent(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(latest_attendance__lte=PERSISTENT_ABSENCE_AT)


class LiaisonFilter(_GovukFilterSet):
    show = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("due", _("Follow-ups due")), ("open", _("All follow-ups not done"))],
        method="follow_ups",
        empty_label=_("All contacts"),
    )
    school = SchoolFilter(
        label=_("School"), queryset=School.objects.none(), empty_label=_("All schools")
    )
    contact_type = django_filters.ChoiceFilter(
        label=_("Type of contact"),
        choices=LiaisonRecord.ContactType.choices,
        empty_label=_("All types"),
    )
    invalid_choice = {
        "show": _("Choose show from the list"),
        "school": _("Choose school from the list"),
        "contact_type": _("Choose type of contact from the list"),
    }

    class Meta:
        model = LiaisonRecord
        fields: list[str] = []

    def follow_ups(self, queryset, name, value):
        open_follow_ups = queryset.filter(follow_up_on__isnull=False, follow_up_done=False)
        if value == "due":
            return open_follow_ups.filter(follow_up_on__lte=timezone.localdate()).order_by(
                "follow_up_on", "pk"
            )
        return open_follow_ups.order_by("follow_up_on", "pk")


class _ReportForm(forms.Form):
    """The reports' filters: real dates, in order, and a term or dates rather than both."""

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            day = data.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name,
                    gettext("Enter a year between %(first)s and %(last)s")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error(
                "end", gettext("The end date must be the same as or after the start date")
            )
        if data.get("term") and (start or end):
            self.add_error("term", gettext("Choose a term or enter dates, not both"))
        return data


class _DateFilter(django_filters.Filter):
    """A GOV.UK date input (day, month and year boxes) as a filter."""

    field_class = GovukDateField


class ReportFilter(_GovukFilterSet):
    """What the reports are narrowed to: a term or dates, and a school of this Virtual School.

    The figures are counted by schools.selectors.reports.authority_report, not by filtering a
    queryset, so the filters only validate; `scope()` hands the selector what they chose."""

    term = django_filters.ChoiceFilter(
        label=_("Term"), choices=(), method="_counted_by_the_report", empty_label=_("All terms")
    )
    start = _DateFilter(
        label=_("From"),
        what=pgettext_lazy("date named in error messages", "Start date"),
        help_text=_("For example, 1 9 2026"),
        method="_counted_by_the_report",
    )
    end = _DateFilter(
        label=_("To"),
        what=pgettext_lazy("date named in error messages", "End date"),
        help_text=_("For example, 31 12 2026"),
        method="_counted_by_the_report",
    )
    school = SchoolFilter(
        label=_("School"),
        queryset=School.objects.none(),
        empty_label=_("All schools"),
        method="_counted_by_the_report",
    )
    invalid_choice = {
        "term": _("Choose term from the list"),
        "school": _("Choose school from the list"),
    }

    class Meta:
        model = KinshipPupil
        fields: list[str] = []
        form = _ReportForm

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.form.fields["term"].choices = [
            (terms.term_value(year, term), terms.term_label(year, term))
            for year, term in terms.recent_terms(today)
        ]

    def _counted_by_the_report(self, queryset, name, value):
        return queryset

    def scope(self) -> ReportScope:
        """The figures to count; all of them while a filter is missing or wrong."""
        if not self.is_bound or not self.form.is_valid():
            return ReportScope()
        data = self.form.cleaned_data
        school = data.get("school")
        if data.get("term"):
            year, term = terms.parse_term(data["term"])
            start, end = terms.term_dates(year, term)
            return ReportScope(
                start=start, end=end, school=school, term=terms.term_label(year, term)
            )
        return ReportScope(start=data.get("start"), end=data.get("end"), school=school)
