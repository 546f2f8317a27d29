"""The English school terms the reports are filtered by, and the reviews that fall in a period.

An academic year starts on 1 September (`core.choices.academic_year_start`); its three terms run
autumn 1 September to 31 December, spring 1 January to 14 April (Easter moves, so a fixed date
near it), summer 15 April to 31 August: the same boundaries as
`schools.selectors.records.current_term`, which the staff home uses. A termly review is
recorded against its academic year and term, so "reviews in a period" are the reviews of the
terms that overlap the period.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from core.choices import academic_year_start

AUTUMN, SPRING, SUMMER = "autumn", "spring", "summer"
TERMS = (AUTUMN, SPRING, SUMMER)  # in the order they come in an academic year


def term_dates(academic_year: int, term: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of `term` in the academic year that starts in September
    `academic_year`."""
    if term == AUTUMN:
        return datetime.date(academic_year, 9, 1), datetime.date(academic_year, 12, 31)
    if term == SPRING:
        return datetime.date(academic_year + 1, 1, 1), datetime.date(academic_year + 1, 4, 14)
    if term == SUMMER:
        return datetime.date(academic_year + 1, 4, 15), datetime.date(academic_year + 1, 8, 31)
    raise ValueError(f"No term {term!r}")


def term_label(academic_year: int, term: str) -> str:
    """ "Autumn term 2026 to 2027": each whole, so it reads right when translated."""
    labels = {
        AUTUMN: _("Autumn term %(start)s to %(end)s"),
        SPRING: _("Spring term %(start)s to %(end)s"),
        SUMMER: _("Summer term %(start)s to %(end)s"),
    }
    return labels[term] % {"start": academic_year, "end": academic_year + 1}


def term_value(academic_year: int, term: str) -> str:
    """How a term is written in a query string: "2026-autumn"."""
    return f"{academic_year}-{term}"


def parse_term(value: str) -> tuple[int, str]:
    year, term = value.split("-", 1)
    return int(year), term


def recent_terms(today: datetime.date, years: int = 3) -> list[tuple[int, str]]:
    """The terms that have started in this academic year and the `years - 1` before it,
    newest first."""
    current = academic_year_start(today)
    terms = [
        (year, term)
        for year in range(current, current - years, -1)
        for term in reversed(TERMS)
        if term_dates(year, term)[0] <= today
    ]
    return terms


def reviews_in_period(start: datetime.date | None, end: datetime.date | None) -> Q:
    """Termly reviews (as fields of TermlyReview) of the terms that overlap start..end; either
    end may be open. The academic years wholly inside are one range, so a long period is
    still a short condition."""
    first = academic_year_start(start) if start else None
    last = academic_year_start(end) if end else None
    condition = Q(pk__in=[])  # matches nothing: ORed with what does
    for year in {first, last} - {None}:
        for term in TERMS:
            term_start, term_end = term_dates(year, term)
            if (end is None or term_start <= end) and (start is None or term_end >= start):
                condition |= Q(academic_year=year, term=term)
    middle = Q()
    if first is not None:
        middle &= Q(academic_year__gt=first)
    if last is not None:
        middle &= Q(academic_year__lt=last)
    if first is None or last is None or last - first > 1:
        condition |= middle
    return condition
