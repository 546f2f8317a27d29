"""The offer's rules: sections in the statutory order, one per kind, sanitised text; when a
group meets, as a sentence."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone, translation

from localoffer.models import LocalOffer, SectionKind, SupportGroup
from tests.factories import local_authority
from tests.localoffer.factories import (
    KENT,
    LocalOfferFactory,
    SectionFactory,
    SupportGroupFactory,
    full_offer,
)

pytestmark = pytest.mark.django_db


def test_sections_come_in_the_statutory_order():
    offer = full_offer()
    assert [s.kind for s in offer.sections.all()] == SectionKind.values
    assert SectionKind.values[:7] == [
        "support_groups",
        "financial",
        "accommodation",
        "education",
        "family_time",
        "legal",
        "therapeutic",
    ]


def test_one_section_of_each_kind_per_offer():
    section = SectionFactory()
    with pytest.raises(IntegrityError):
        SectionFactory(offer=section.offer, kind=section.kind)


def test_section_text_is_rendered_and_sanitised():
    section = SectionFactory(
        body="**Help** <script>alert(1)</script>",
        body_cy="**Cymorth** <img src=x onerror=alert(1)>",
    )
    assert "<strong>Help</strong>" in section.body_html
    assert "<script" not in section.body_html
    assert "<strong>Cymorth</strong>" in section.body_html_cy
    assert "onerror" not in section.body_html_cy


def test_slug_comes_from_the_council_name_and_cannot_take_a_page_address():
    assert LocalOfferFactory(local_authority=local_authority(KENT)).slug == "kent"
    with pytest.raises(IntegrityError):
        LocalOfferFactory(slug="groups")


def test_overdue_only_once_the_due_date_has_passed():
    today = timezone.localdate()
    assert LocalOfferFactory(review_due_on=today - datetime.timedelta(days=1)).review_overdue
    assert not LocalOffer(review_due_on=today).review_overdue
    assert not LocalOffer(review_due_on=None).review_overdue


@pytest.mark.parametrize(
    ("week", "weekday", "starts", "ends", "sentence"),
    [
        ("second", 1, (10, 0), (12, 0), "Second Tuesday of each month, 10am to midday"),
        ("", 3, (18, 30), (20, 0), "Every Thursday, 6:30pm to 8pm"),
        ("last", 5, (10, 0), None, "Last Saturday of each month, 10am"),
        ("", None, None, None, ""),
    ],
)
def test_when_a_group_meets_reads_as_a_sentence(week, weekday, starts, ends, sentence):
    group = SupportGroup(
        week_of_month=week,
        weekday=weekday,
        starts_at=datetime.time(*starts) if starts else None,
        ends_at=datetime.time(*ends) if ends else None,
    )
    assert group.meets == sentence


def test_a_monthly_group_must_say_which_day():
    with pytest.raises(IntegrityError):
        SupportGroupFactory(week_of_month="second", weekday=None)


def test_welsh_name_shown_on_welsh_pages():
    group = SupportGroupFactory(name="Grandparents' group", name_cy="Grŵp neiniau a theidiau")
    with translation.override("cy"):
        assert group.shown.name == "Grŵp neiniau a theidiau"
    assert group.shown.name == "Grandparents' group"
