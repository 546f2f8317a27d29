"""Figures for a Virtual School's reports, counted by the database.

A fixed number of aggregate queries whatever the number of pupils; nothing here loops over
pupils in Python (the pupils' figures come back as a row per arrangement and year group,
summed here). The year group is derived from the date of birth in SQL (see
`year_group_expression`), so reports and the pupil list's filter agree with
`KinshipPupil.year_group()`.

A `ReportScope` narrows the figures to a period (a term, or dates) and to one school
(schools.filters.ReportFilter reads it from the page's query string). What each figure then
counts:

- pupils (in total, by arrangement, by year group): the pupils at that school, leaving out
  those who left before the period began; year groups as on the period's last day (today
  if that is later than today, its first day if the period has not begun);
- attendance: each of those pupils' latest termly review of a term that overlaps the period
  (without a period: their latest review of all);
- suspensions and exclusions: recorded in the reviews of the terms that overlap the period
  (without a period: this academic year's);
- advice requests: received in the period, about a child whose pupil record is at that school.
"""

import dataclasses
import datetime
import statistics
from collections import Counter

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.choices import Arrangement, YearGroup, academic_year_start
from core.templatetags.portal import govuk_date
from schools.models import AdviceRequest, KinshipPupil, School, TermlyReview
from schools.selectors.records import PERSISTENT_ABSENCE_AT
from schools.terms import reviews_in_period

# Years after the academic year of birth at which each year group starts: a child born in the
# academic year starting September Y-5 is in Reception in the year starting September Y.
YEAR_GROUP_OFFSETS: dict[str, int] = {YearGroup.NURSERY: 4, YearGroup.RECEPTION: 5} | {
    str(n): n + 5 for n in range(1, 14)
}


def _academic_year(on: datetime.date | None) -> int:
    return academic_year_start(on or timezone.localdate())


def year_group_dob_range(
    year_group: str, on: datetime.date | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last dates of birth of the chronological `year_group` on `on` (today).

    None at one end means open-ended ("Not at school yet" and "Left school").
    """
    year = _academic_year(on)
    if year_group == YearGroup.NOT_AT_SCHOOL:
        return datetime.date(year - 3, 9, 1), None
    if year_group == YearGroup.LEFT_SCHOOL:
        return None, datetime.date(year - 18, 8, 31)
    offset = YEAR_GROUP_OFFSETS[year_group]
    return datetime.date(year - offset, 9, 1), datetime.date(year - offset + 1, 8, 31)


def year_group_q(year_group: str, on: datetime.date | None = None) -> Q:
    """Pupils in `year_group`: the override if staff set one, else by date of birth."""
    first, last = year_group_dob_range(year_group, on)
    by_age = Q(year_group_override="")
    if first:
        by_age &= Q(date_of_birth__gte=first)
    if last:
        by_age &= Q(date_of_birth__lte=last)
    return Q(year_group_override=year_group) | by_age


def year_group_expression(on: datetime.date | None = None) -> Case:
    """Each pupil's year group as a SQL CASE: the override, else from the date of birth."""
    year = _academic_year(on)
    whens = [When(~Q(year_group_override=""), then=F("year_group_override"))]
    whens.append(
        When(
            date_of_birth__gte=datetime.date(year - 3, 9, 1),
            then=Value(YearGroup.NOT_AT_SCHOOL.value),
        )
    )
    # Youngest first: the first offset whose starting date the birthday is on or after wins.
    for group, offset in YEAR_GROUP_OFFSETS.items():
        whens.append(
            When(date_of_birth__gte=datetime.date(year - offset, 9, 1), then=Value(str(group)))
        )
    return Case(*whens, default=Value(YearGroup.LEFT_SCHOOL.value), output_field=CharField())


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median of an interval or a number."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


@dataclasses.dataclass(frozen=True)
class ReportScope:
    """Which figures a report counts: a period (`start`..`end`, either end open; both None for
    all dates), and one school or all. `term` names the period when it is a whole term."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    school: School | None = None
    term: str = ""

    @property
    def has_period(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def filtered(self) -> bool:
        return self.has_period or self.school is not None

    @property
    def period_label(self) -> str:
        """ "Autumn term 2026 to 2027", "1 September 2026 to 31 October 2026", "From 1 ..."."""
        if self.term:
            return self.term
        if self.start and self.end:
            return _("%(start)s to %(end)s") % {
                "start": govuk_date(self.start),
                "end": govuk_date(self.end),
            }
        if self.start:
            return _("From %(date)s") % {"date": govuk_date(self.start)}
        if self.end:
            return _("Up to %(date)s") % {"date": govuk_date(self.end)}
        return ""

    def on(self, today: datetime.date) -> datetime.date:
        """The day year groups are counted on: today, kept within the period."""
        if self.end and self.end < today:
            return self.end
        if self.start and self.start > today:
            return self.start
        return today

    def file_words(self) -> str:
        """What the report was narrowed to, for its file name: "autumn-term-2026-to-2027",
        "from-2026-09-01-to-2026-10-31", then the school's name; "" for the whole authority."""
        parts = []
        if self.term:
            parts.append(self.term)
        elif self.has_period:
            start = f"from {self.start.isoformat()}" if self.start else ""
            parts.append(f"{start} to {self.end.isoformat()}" if self.end else start)
        if self.school is not None:
            parts.append(self.school.name)
        return slugify(" ".join(parts))

    def describe(self) -> str:
        """For the audit log (in English, with ISO dates): what the report was narrowed to."""
        parts = []
        if self.has_period:
            start = self.start.isoformat() if self.start else "the start"
            end = self.end.isoformat() if self.end else "now"
            parts.append(f"{start} to {end}")
        if self.school is not None:
            parts.append(f"school {self.school.name} (id {self.school.pk})")
        return "; ".join(parts)


ALL = ReportScope()


@dataclasses.dataclass
class Row:
    label: str
    count: int


@dataclasses.dataclass
class AuthorityReport:
    scope: ReportScope
    academic_year: int
    total_pupils: int
    by_arrangement: list[Row]
    by_year_group: list[Row]
    pupils_with_review: int
    persistent_absence: int
    severe_absence: int
    suspensions: int
    pupils_suspended: int
    permanent_exclusions: int
    advice_received: int
    advice_answered: int
    average_first_reply: datetime.timedelta | None
    median_first_reply: datetime.timedelta | None

    @property
    def academic_year_label(self) -> str:
        return _("%(start)s to %(end)s") % {
            "start": self.academic_year,
            "end": self.academic_year + 1,
        }

    @property
    def suspensions_period(self) -> str:
        """The period suspensions are counted in: the filter's, else this academic year."""
        return self.scope.period_label or self.academic_year_label

    @property
    def persistent_absence_rate(self) -> float | None:
        """Share of pupils with a review whose latest attendance is 90% or below."""
        if not self.pupils_with_review:
            return None
        return self.persistent_absence / self.pupils_with_review

    def figures(self) -> list[tuple[str, str, str]]:
        """(section, measure, value) rows: the CSV export, and a check that the page shows all."""
        rows = []
        if self.scope.has_period:
            rows.append((_("Filters"), _("Period"), self.scope.period_label))
        if self.scope.school is not None:
            rows.append((_("Filters"), _("School"), self.scope.school.name))
        rows.append((_("Pupils"), _("Kinship pupils recorded"), str(self.total_pupils)))
        rows += [
            (_("Pupils by arrangement"), str(row.label), str(row.count))
            for row in self.by_arrangement
        ]
        rows += [
            (_("Pupils by year group"), str(row.label), str(row.count))
            for row in self.by_year_group
        ]
        rate = self.persistent_absence_rate
        suspensions = _("Suspensions, %(year)s") % {"year": self.suspensions_period}
        rows += [
            (_("Attendance"), _("Pupils with a termly review"), str(self.pupils_with_review)),
            (_("Attendance"), _("Persistently absent at their latest review (%(limit)s%% or below)") % {"limit": 90}, str(self.persistent_absence)),
            (_("Attendance"), _("Severely absent at their latest review (%(limit)s%% or below)") % {"limit": 50}, str(self.severe_absence)),
            (_("Attendance"), _("Persistent absence rate"), percent(rate) if rate is not None else _("No reviews yet")),
            (suspensions, _("Suspensions"), str(self.suspensions)),
            (suspensions, _("Pupils suspended at least once"), str(self.pupils_suspended)),
            (suspensions, _("Pupils permanently excluded"), str(self.permanent_exclusions)),
            (_("Advice requests"), _("Received"), str(self.advice_received)),
            (_("Advice requests"), _("Answered"), str(self.advice_answered)),
            (_("Advice requests"), _("Average time to first reply"), duration_words(self.average_first_reply)),
            (_("Advice requests"), _("Median time to first reply"), duration_words(self.median_first_reply)),
        ]  # fmt: skip
        return rows


def percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


def duration_words(value: datetime.timedelta | None) -> str:
    """ "2 days 3 hours", "5 hours 20 minutes", "Less than a minute"; "No replies yet" for None."""
    if value is None:
        return _("No replies yet")
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 60 * 24)
    hours, minutes = divmod(minutes, 60)

    def day_words(n: int) -> str:
        return ngettext("%(count)s day", "%(count)s days", n) % {"count": n}

    def hour_words(n: int) -> str:
        return ngettext("%(count)s hour", "%(count)s hours", n) % {"count": n}

    def minute_words(n: int) -> str:
        return ngettext("%(count)s minute", "%(count)s minutes", n) % {"count": n}

    if days and hours:
        return _("%(days)s %(hours)s") % {"days": day_words(days), "hours": hour_words(hours)}
    if days:
        return day_words(days)
    if hours and minutes:
        return _("%(hours)s %(minutes)s") % {
            "hours": hour_words(hours),
            "minutes": minute_words(minutes),
        }
    if hours:
        return hour_words(hours)
    if minutes:
        return minute_words(minutes)
    return _("Less than a minute")


def _ordered(counts: dict[str, int], choices) -> list[Row]:
    """Rows in the vocabulary's order, leaving out the empty ones."""
    return [Row(label, counts[code]) for code, label in choices if counts.get(code)]


def _day_starts(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, UK time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def authority_report(
    virtual_school, on: datetime.date | None = None, scope: ReportScope = ALL
) -> AuthorityReport:
    """Every figure on the reports page: three queries on PostgreSQL (four elsewhere), at any
    size, with or without a scope (what each figure counts then: see the module's docstring)."""
    on = scope.on(on or timezone.localdate())
    year = _academic_year(on)
    pupils = KinshipPupil.objects.filter(virtual_school=virtual_school)
    reviews = TermlyReview.objects.filter(pupil__virtual_school=virtual_school)
    advice = AdviceRequest.objects.filter(virtual_school=virtual_school).order_by()
    if scope.school is not None:
        pupils = pupils.filter(school=scope.school)
        reviews = reviews.filter(pupil__school=scope.school)
        advice = advice.filter(child__pupil_record__school=scope.school)
    if scope.start is not None:
        pupils = pupils.filter(Q(left_on__isnull=True) | Q(left_on__gte=scope.start))
        advice = advice.filter(created_at__gte=_day_starts(scope.start))
    if scope.end is not None:
        advice = advice.filter(created_at__lt=_day_starts(scope.end + datetime.timedelta(days=1)))
    if scope.has_period:
        # Each pupil's latest review of a term in the period, read in the same query.
        in_period = reviews_in_period(scope.start, scope.end)
        latest = (
            TermlyReview.objects.filter(in_period, pupil=OuterRef("pk"))
            .order_by("-academic_year", "-term", "-pk")  # summer > spring > autumn
            .values("attendance_percent")[:1]
        )
        pupils = pupils.annotate(attendance=Subquery(latest))
        reviews = reviews.filter(in_period)
    else:
        # Each pupil's latest review as schools.services.records keeps it on the pupil's row.
        pupils = pupils.annotate(attendance=F("latest_attendance"))
        reviews = reviews.filter(academic_year=year)

    # One pass over the pupils: a row per arrangement and year group, with the attendance
    # counts of each, summed here (a few dozen rows at most, whatever the number of pupils).
    cells = (
        pupils.order_by()
        .annotate(group=year_group_expression(on))
        .values_list("arrangement", "group")
        .annotate(
            n=Count("pk"),
            reviewed=Count("pk", filter=Q(attendance__isnull=False)),
            persistent=Count("pk", filter=Q(attendance__lte=PERSISTENT_ABSENCE_AT)),
            severe=Count("pk", filter=Q(attendance__lte=50)),
        )
    )
    by_arrangement: Counter[str] = Counter()
    by_year_group: Counter[str] = Counter()
    absence: Counter[str] = Counter()
    for arrangement, group, n, reviewed, persistent, severe in cells:
        by_arrangement[arrangement] += n
        by_year_group[group] += n
        absence.update(total=n, reviewed=reviewed, persistent=persistent, severe=severe)
    # Only reviews with a suspension or an exclusion count (a partial index holds just those).
    suspensions = (
        reviews.filter(Q(suspensions__gt=0) | Q(permanently_excluded=True))
        .order_by()
        .aggregate(
            total=Sum("suspensions"),
            pupils=Count("pupil", distinct=True, filter=Q(suspensions__gt=0)),
            excluded=Count("pupil", distinct=True, filter=Q(permanently_excluded=True)),
        )
    )

    wait = ExpressionWrapper(F("first_reply_at") - F("created_at"), output_field=DurationField())
    advice_figures = {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(first_reply_at__isnull=False)),
        "average": Avg(wait),
    }
    on_postgres = connection.vendor == "postgresql"
    if on_postgres:
        advice_figures["median"] = Median(wait, output_field=DurationField())
    replies = advice.aggregate(**advice_figures)
    if not on_postgres:
        # No percentile function: the list of waits is one number per answered request.
        waits = list(
            advice.filter(first_reply_at__isnull=False)
            .annotate(wait=wait)
            .values_list("wait", flat=True)
        )
        replies["median"] = statistics.median(waits) if waits else None

    return AuthorityReport(
        scope=scope,
        academic_year=year,
        total_pupils=absence["total"],
        by_arrangement=_ordered(by_arrangement, Arrangement.choices),
        by_year_group=_ordered(by_year_group, YearGroup.choices),
        pupils_with_review=absence["reviewed"],
        persistent_absence=absence["persistent"],
        severe_absence=absence["severe"],
        suspensions=suspensions["total"] or 0,
        pupils_suspended=suspensions["pupils"],
        permanent_exclusions=suspensions["excluded"],
        advice_received=replies["received"],
        advice_answered=replies["answered"],
        average_first_reply=replies["average"],
        median_first_reply=replies["median"],
    )
