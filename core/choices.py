"""Vocabularies shared by several apps: kinship arrangements and school years."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Arrangement(models.TextChoices):
    SPECIAL_GUARDIANSHIP = "sgo", _("Special guardianship order")
    CHILD_ARRANGEMENTS = "cao", _("Child arrangements order (or residence order)")
    KINSHIP_FOSTER = "kinship_foster", _("Kinship foster care (connected person foster carer)")
    INFORMAL = "informal", _("Informal family arrangement (no court order)")
    PRIVATE_FOSTERING = "private_fostering", _("Private fostering")
    ADOPTION = "adoption", _("Adoption by a relative")
    OTHER = "other", _("Other, or not sure")


ARRANGEMENT_HINTS = {
    Arrangement.SPECIAL_GUARDIANSHIP: _(
        "A court order that gives you parental responsibility until the child is 18."
    ),
    Arrangement.CHILD_ARRANGEMENTS: _(
        "A court order saying the child lives with you. Before 2014 this was called a residence order."
    ),
    Arrangement.KINSHIP_FOSTER: _(
        "The council placed the child with you and approved you as their foster carer."
    ),
    Arrangement.INFORMAL: _(
        "The family agreed the child would live with you, without a court order."
    ),
    Arrangement.PRIVATE_FOSTERING: _(
        "You are not a close relative and care for a child under 16 for 28 days or more by private arrangement."
    ),
    Arrangement.ADOPTION: _("You have adopted the child and are now their legal parent."),
    Arrangement.OTHER: "",
}

# The same hints for Virtual School staff recording a pupil: they are not the carer.
STAFF_ARRANGEMENT_HINTS = {
    Arrangement.SPECIAL_GUARDIANSHIP: _(
        "A court order that gives the carer parental responsibility until the child is 18."
    ),
    Arrangement.CHILD_ARRANGEMENTS: _(
        "A court order saying the child lives with the carer. "
        "Before 2014 this was called a residence order."
    ),
    Arrangement.KINSHIP_FOSTER: _(
        "The council placed the child with the carer and approved them as a foster carer."
    ),
    Arrangement.INFORMAL: _(
        "The family agreed the child would live with the carer, without a court order."
    ),
    Arrangement.PRIVATE_FOSTERING: _(
        "The carer is not a close relative and cares for a child under 16 for 28 days or more "
        "by private arrangement."
    ),
    Arrangement.ADOPTION: _("The carer has adopted the child and is now their legal parent."),
    Arrangement.OTHER: "",
}


class YearGroup(models.TextChoices):
    NOT_AT_SCHOOL = "pre_school", _("Not at school yet")
    NURSERY = "N", _("Nursery")
    RECEPTION = "R", _("Reception")
    Y1 = "1", _("Year 1")
    Y2 = "2", _("Year 2")
    Y3 = "3", _("Year 3")
    Y4 = "4", _("Year 4")
    Y5 = "5", _("Year 5")
    Y6 = "6", _("Year 6")
    Y7 = "7", _("Year 7")
    Y8 = "8", _("Year 8")
    Y9 = "9", _("Year 9")
    Y10 = "10", _("Year 10")
    Y11 = "11", _("Year 11")
    Y12 = "12", _("Year 12")
    Y13 = "13", _("Year 13")
    LEFT_SCHOOL = "left", _("Left school")


def academic_year_start(on: datetime.date) -> int:
    """The calendar year in which the English academic year containing `on` began (1 September)."""
    return on.year if on.month >= 9 else on.year - 1


def year_group_for(date_of_birth: datetime.date, on: datetime.date) -> YearGroup:
    """The chronological English school year group on a given date.

    In the academic year starting September Y, a child born 1 September (Y-5)
    to 31 August (Y-4) is in Reception, and each year older is one year group up.
    """
    cohort = academic_year_start(date_of_birth)  # the academic year they were born in
    offset = academic_year_start(on) - cohort  # 5 for Reception (born Sep Y-5 .. Aug Y-4)
    if offset < 4:
        return YearGroup.NOT_AT_SCHOOL
    if offset == 4:
        return YearGroup.NURSERY
    if offset == 5:
        return YearGroup.RECEPTION
    if offset <= 18:
        return YearGroup(str(offset - 5))
    return YearGroup.LEFT_SCHOOL


# Each year group as the school years after the academic year of birth it usually covers
# (the offset in year_group_for): Reception is 5, Year N is N + 5. None: no limit that way.
# Leaving school is usual from the end of Year 11 (16 to 19 education need not be at school).
YEAR_GROUP_OFFSETS: dict[str, tuple[int | None, int | None]] = {
    YearGroup.NOT_AT_SCHOOL: (None, 3),
    YearGroup.NURSERY: (4, 4),
    YearGroup.RECEPTION: (5, 5),
    **{YearGroup(str(n)): (n + 5, n + 5) for n in range(1, 14)},
    YearGroup.LEFT_SCHOOL: (17, None),
}


def year_group_gap(date_of_birth: datetime.date, year_group: str, on: datetime.date) -> int:
    """How many school years `year_group` is from the usual one for a child born on
    `date_of_birth`, in the academic year containing `on`: 0 when it is their age group."""
    offset = academic_year_start(on) - academic_year_start(date_of_birth)
    first, last = YEAR_GROUP_OFFSETS[year_group]
    if first is not None and offset < first:
        return first - offset
    if last is not None and offset > last:
        return offset - last
    return 0


# How a carer is named on records that outlive their account (bookings, advice threads).
CLOSED_ACCOUNT = _("A carer who has since closed their account")
