"""Series and courses in Django admin.

- "Repeat this event" (on an event's page): a rule (every n weeks, every month on the same
  weekday, or a list of dates), the dates it makes to check, then a series with a draft copy
  of the event for each date (events.services.series.event_repeat).
- A course's sessions: listed on the event's page (EventSessionInline), or made by the same
  rule (events.services.series.course_sessions_add); the course's start and end follow its sessions.
- Cancelling one session: the action on the list of sessions, which tells the course's
  bookers once (events.services.series.session_cancel).

Every change goes through events.services."""

import datetime
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.bilingual_admin import in_welsh
from core.templatetags.portal import govuk_datetime
from events import dates as rules
from events.models import Event, EventSeries, EventSession
from events.services import BookingError
from events.services import series as series_services

# Repeat rules -----------------------------------------------------------------------------

_DATE_FORMATS = [
    (re.compile(r"(\d{1,2})[/ .-](\d{1,2})[/ .-](\d{4})"), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("year", "month", "day")),
]


def parse_dates(text: str) -> tuple[list[datetime.date], list[str]]:
    """Dates written one a line (or with commas between), like 3/2/2027, 3 2 2027 or
    2027-02-03. Returns the dates and the parts that are not dates."""
    found, bad = [], []
    for part in re.split(r"[\n,;]+", text):
        part = part.strip()
        if not part:
            continue
        for pattern, order in _DATE_FORMATS:
            match = pattern.fullmatch(part)
            if match:
                values = dict(zip(order, map(int, match.groups()), strict=True))
                try:
                    found.append(datetime.date(**values))
                except ValueError:
                    bad.append(part)
                break
        else:
            bad.append(part)
    return found, bad


class RepeatForm(forms.Form):
    """The rule for a series' dates or a course's sessions. The rules themselves are in
    events.services.series.repeat_problems; each problem is shown beside its field."""

    frequency = forms.ChoiceField(
        label=_("Repeats"),
        widget=forms.RadioSelect,
        choices=EventSeries.Frequency.choices,
        error_messages={
            "required": _("Select how often it repeats"),
            "invalid_choice": _("Select how often it repeats"),
        },
    )
    interval = forms.IntegerField(
        label=_("Every how many weeks"),
        required=False,
        initial=1,
        help_text=_(
            "Only for every week or every few weeks: 1 for every week, 2 for every other week."
        ),
        error_messages={"invalid": _("Enter a number of weeks from 1 to 52")},
    )
    count = forms.IntegerField(
        label=_("How many dates"),
        required=False,
        help_text=_("From 2 to 52, this one included. Not for a list of dates."),
        error_messages={"invalid": _("Enter a number of dates from 2 to 52")},
    )
    dates = forms.CharField(
        label=_("Dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 30}),
        help_text=_(
            "Only for a list of dates: one date a line, like 3/2/2027. Each is at the same "
            "time of day as this one."
        ),
    )

    def __init__(self, *args, event: Event, for_sessions: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if for_sessions:
            self.fields["count"].label = _("How many sessions")
            self.fields["count"].help_text = _(
                "From 2 to 52, the first included. Not for a list of dates."
            )

    def clean_dates(self) -> list[datetime.date]:
        found, bad = parse_dates(self.cleaned_data.get("dates") or "")
        if bad:
            raise forms.ValidationError(
                _("Enter each date like 3/2/2027. “%(text)s” is not a date"),
                params={"text": bad[0]},
            )
        return found

    def clean(self):
        cleaned = super().clean()
        problems = series_services.repeat_problems(
            event=self.event,
            frequency=cleaned.get("frequency") or "",
            interval=cleaned.get("interval"),
            count=cleaned.get("count"),
            dates=cleaned.get("dates") or [],
        )
        for field, problem in problems.items():
            if field not in self.errors:
                self.add_error(field, problem)
        return cleaned

    def rule(self) -> dict:
        """The cleaned rule, as the services take it."""
        data = self.cleaned_data
        return {
            "frequency": data["frequency"],
            "interval": data.get("interval") or 1,
            "count": data.get("count") or 0,
            "dates": data.get("dates") or [],
        }


def rule_view(model_admin, request, event: Event, *, for_sessions: bool):
    """Choose the rule (GET, or POST with errors), check the dates it makes (POST
    "continue"), then make them (POST "confirm") and go to what was made."""
    if for_sessions:
        if not model_admin.has_change_permission(request, event):
            raise PermissionDenied
    elif not model_admin.has_add_permission(request):
        raise PermissionDenied
    change_url = reverse("admin:events_event_change", args=[event.pk])
    data = request.POST if request.method == "POST" else None
    form = RepeatForm(data, event=event, for_sessions=for_sessions)
    refused = _refused(event, for_sessions=for_sessions)
    starts = []
    if data is not None and not refused and form.is_valid():
        rule = form.rule()
        if "confirm" in data:
            try:
                response = _make(request, event, rule, for_sessions=for_sessions)
            except BookingError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                return response
        if not form.errors and "change" not in data:
            starts = rules.repeat_starts(first=event.starts_at, **rule)
    length = event.ends_at - event.starts_at
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "body_class": f"app-{model_admin.opts.app_label} model-{model_admin.opts.model_name} change-form",
        "title": gettext("Add the course's sessions")
        if for_sessions
        else gettext("Repeat this event"),
        "subtitle": event.title,
        "event": event,
        "form": form,
        "for_sessions": for_sessions,
        "refused": refused,
        "checking": bool(starts),
        "made": [
            {"starts_at": start, "ends_at": start + length, "first": n == 0}
            for n, start in enumerate(starts)
        ],
        "new_count": len(starts) if for_sessions else max(len(starts) - 1, 0),
        # The dates carried to the next step, in a form that fits one line.
        "dates_text": ", ".join(d.isoformat() for d in form.cleaned_data.get("dates") or [])
        if starts
        else "",
        "change_url": change_url,
        "has_view_permission": True,
    }
    return TemplateResponse(request, "admin/events/event/repeat.html", context)


def _refused(event: Event, *, for_sessions: bool) -> str:
    """Why this event cannot be repeated, or given sessions, at all; empty if it can."""
    if event.status == Event.Status.CANCELLED:
        return gettext("This event is cancelled.")
    if for_sessions and event.sessions.exists():
        return gettext(
            "This course already has sessions. Change them on the event's page, or cancel "
            "one from the list of sessions."
        )
    if not for_sessions and event.series_id is not None:
        return gettext("This event already repeats: it is one date of the series “%(title)s”.") % {
            "title": event.series.title
        }
    return ""


def _make(request, event: Event, rule: dict, *, for_sessions: bool):
    if for_sessions:
        sessions = series_services.course_sessions_add(event=event, **rule)
        messages.success(
            request,
            ngettext(
                "%(count)s session added. The course now runs from its first session to its last.",
                "%(count)s sessions added. The course now runs from its first session to its last.",
                len(sessions),
            )
            % {"count": len(sessions)},
        )
        return redirect("admin:events_event_change", event.pk)
    series = series_services.event_repeat(event=event, **rule)
    drafts = series.dates.exclude(pk=event.pk).count()
    messages.success(
        request,
        ngettext(
            "%(count)s draft date made in the series “%(title)s”. Check each one, then publish it.",
            "%(count)s draft dates made in the series “%(title)s”. Check each one, then publish them.",
            drafts,
        )
        % {"count": drafts, "title": series.title},
    )
    return redirect(f"{reverse('admin:events_event_changelist')}?series__id__exact={series.pk}")


# On the event's page ----------------------------------------------------------------------


class EventSessionForm(forms.ModelForm):
    class Meta:
        model = EventSession
        fields = ["starts_at", "ends_at"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start"))
        return cleaned


class EventSessionFormSet(forms.BaseInlineFormSet):
    def save(self, commit=True):
        saved = super().save(commit=commit)
        if commit and self.instance.pk:
            # The course runs from its first session to its last.
            series_services.event_sessions_sync(event=self.instance)
        return saved


@admin.display(description=pgettext_lazy("session status", "Cancelled"))
def session_cancelled(obj: EventSession) -> str:
    if obj is None or obj.pk is None or obj.cancelled_at is None:
        return "–"
    return gettext("Cancelled on %(when)s") % {"when": govuk_datetime(obj.cancelled_at)}


class EventSessionInline(admin.TabularInline):
    """A course's sessions. Cancel one from the list of sessions, which tells the bookers."""

    model = EventSession
    form = EventSessionForm
    formset = EventSessionFormSet
    fields = ["starts_at", "ends_at", session_cancelled]
    readonly_fields = [session_cancelled]
    extra = 0
    verbose_name = _("course session")
    verbose_name_plural = _("course sessions")

    def has_delete_permission(self, request, obj=None):
        # Sessions of a published course are cancelled (and people told), not deleted.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.status == Event.Status.DRAFT
        )


class SeriesAdminMixin:
    """For EventAdmin: the repeat and sessions pages, and the links to them on the event's page."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:event_id>/repeat/", view(self.repeat_view), name="events_event_repeat"),
            path(
                "<int:event_id>/sessions/add/",
                view(self.course_sessions_view),
                name="events_event_sessions_add",
            ),
            *super().get_urls(),
        ]

    def repeat_view(self, request, event_id: int):
        return rule_view(self, request, self._event_or_404(request, event_id), for_sessions=False)

    def course_sessions_view(self, request, event_id: int):
        return rule_view(self, request, self._event_or_404(request, event_id), for_sessions=True)

    @admin.display(description=_("Repeats"))
    def series_link(self, obj):
        if not obj.pk:
            return gettext("Save the event first")
        if obj.series_id is None:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:events_event_repeat", args=[obj.pk]),
                gettext("Repeat this event"),
            )
        count = obj.series.dates.count()
        return format_html(
            '{} <a href="{}?series__id__exact={}">{}</a>',
            gettext("One date of the series “%(title)s”.") % {"title": obj.series.title},
            reverse("admin:events_event_changelist"),
            obj.series_id,
            ngettext("See its %(count)s date", "See all its %(count)s dates", count)
            % {"count": count},
        )

    @admin.display(description=_("Course"))
    def sessions_link(self, obj):
        if not obj.pk:
            return gettext("Save the event first")
        count = obj.sessions.count()
        if not count:
            return format_html(
                '{} <a href="{}">{}</a>',
                gettext("Not a course."),
                reverse("admin:events_event_sessions_add", args=[obj.pk]),
                gettext("Make it a course: add its sessions by a repeat rule"),
            )
        return format_html(
            '{} <a href="{}?event__id__exact={}">{}</a>',
            ngettext(
                "A course of %(count)s session, listed below.",
                "A course of %(count)s sessions, listed below.",
                count,
            )
            % {"count": count},
            reverse("admin:events_eventsession_changelist"),
            obj.pk,
            gettext("Cancel a session and tell everyone booked"),
        )


# Their own lists --------------------------------------------------------------------------


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    """Series are made by "Repeat this event"; here their names can be changed."""

    list_display = ["title", "frequency", "date_count", in_welsh]
    search_fields = ["title", "title_cy"]
    fields = [("title", "title_cy"), "frequency", "interval", "dates_link"]
    readonly_fields = ["frequency", "interval", "dates_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(date_count=Count("dates"))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Dates"), ordering="date_count")
    def date_count(self, obj):
        return obj.date_count

    @admin.display(description=_("Dates"))
    def dates_link(self, obj):
        return format_html(
            '<a href="{}?series__id__exact={}">{}</a>',
            reverse("admin:events_event_changelist"),
            obj.pk,
            ngettext("See its %(count)s date", "See all its %(count)s dates", obj.date_count)
            % {"count": obj.date_count},
        )


@admin.register(EventSession)
class EventSessionAdmin(admin.ModelAdmin):
    """Sessions of courses: changed on the course's page; cancelled here, with the action."""

    list_display = ["event", "starts_local", "ends_local", session_cancelled]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["event"]
    search_fields = ["event__title"]
    actions = ["cancel_sessions"]
    fields = ["event", "starts_at", "ends_at", session_cancelled]
    readonly_fields = fields

    @admin.display(description=_("Starts"), ordering="starts_at")
    def starts_local(self, obj):
        return govuk_datetime(obj.starts_at)

    @admin.display(description=_("Ends"), ordering="ends_at")
    def ends_local(self, obj):
        return govuk_datetime(obj.ends_at)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The page of one session is view-only; the list's action needs change permission.
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(
        description=_("Cancel selected sessions and tell the course's bookers"),
        permissions=["change"],
    )
    def cancel_sessions(self, request, queryset):
        cancelled = told = 0
        for session in queryset.filter(cancelled_at__isnull=True).select_related("event"):
            try:
                told += series_services.session_cancel(session=session)
            except BookingError as error:
                messages.error(
                    request,
                    gettext("%(session)s was not cancelled: %(reason)s")
                    % {"session": session, "reason": error},
                )
            else:
                cancelled += 1
        sessions = ngettext(
            "%(count)s session cancelled.", "%(count)s sessions cancelled.", cancelled
        ) % {"count": cancelled}
        people = ngettext(
            "%(count)s person with a place was emailed.",
            "%(count)s people with a place were emailed.",
            told,
        ) % {"count": told}
        messages.success(request, f"{sessions} {people}")  # two whole sentences
