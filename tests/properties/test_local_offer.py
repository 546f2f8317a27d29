"""The local offer editor's forms (/school/local-offer/...), filled in by Hypothesis: the
introduction and review dates, and a section.

A valid form saves what was typed (stripped; a web address without https:// gets it), writes
one row to the offer's history and one audit entry when something changed, and the form shows
the saved text when opened again. An invalid one saves nothing, history and audit included,
with the message beside the field.
"""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from localoffer import services
from localoffer.models import LocalOffer, LocalOfferChange, LocalOfferSection, SectionKind
from schools.models import AuditEntry
from tests.conftest import give_mfa
from tests.factories import StaffMembershipFactory
from tests.properties.checks import (
    PROPERTY,
    accepted,
    assert_refused,
    assert_shown,
    changed_counts,
    row_counts,
    signed_in,
    table,
    undone,
)
from tests.properties.strategies import (
    IMPOSSIBLE_DATES,
    OMIT,
    Mistake,
    blank,
    date_boxes,
    dates_between,
    free_text,
    too_long_text,
)

pytestmark = pytest.mark.django_db

DATES = {"last_reviewed_on": "Date last reviewed", "review_due_on": "Review due date"}
FIRST, LAST = datetime.date(2000, 1, 1), datetime.date(2060, 12, 31)


@pytest.fixture
def editor(leeds):
    membership = StaffMembershipFactory(virtual_school=leeds, edits_local_offer=True)
    give_mfa(membership.user)
    return membership.user


@pytest.fixture
def editor_client(editor):
    return signed_in(editor)


@pytest.fixture
def offer(leeds, editor):
    """Leeds's offer, just started: a draft with nothing written."""
    return services.offer_start(local_authority=leeds.local_authority, by=editor)


def no_date(prefix: str) -> dict:
    return {f"{prefix}_day": "", f"{prefix}_month": "", f"{prefix}_year": ""}


# Introduction and review dates --------------------------------------------------------------


@st.composite
def details_forms(draw) -> tuple[dict, dict]:
    reviewed = draw(st.one_of(st.none(), dates_between(FIRST, LAST)))
    due = draw(
        st.one_of(st.none(), dates_between((reviewed or FIRST) + datetime.timedelta(1), LAST))
    )
    data = {
        "intro": draw(free_text(2000)),
        "intro_cy": draw(free_text(2000)),
        **(
            draw(date_boxes("last_reviewed_on", reviewed))
            if reviewed
            else no_date("last_reviewed_on")
        ),
        **(draw(date_boxes("review_due_on", due)) if due else no_date("review_due_on")),
    }
    expected = {
        "intro": data["intro"].strip(),
        "intro_cy": data["intro_cy"].strip(),
        "last_reviewed_on": reviewed,
        "review_due_on": due,
    }
    return data, expected


@st.composite
def details_mistakes(draw) -> Mistake:
    kind = draw(st.sampled_from(["intro", "intro_cy", "impossible", "due_first"]))
    if kind == "intro":
        return Mistake(
            "intro",
            {"intro": draw(too_long_text(2000))},
            "The introduction must be 2,000 characters or fewer",
        )
    if kind == "intro_cy":
        return Mistake(
            "intro_cy",
            {"intro_cy": draw(too_long_text(2000))},
            "The introduction in Welsh must be 2,000 characters or fewer",
        )
    if kind == "impossible":
        field = draw(st.sampled_from(list(DATES)))
        boxes, problem = draw(st.sampled_from(IMPOSSIBLE_DATES))
        changes = dict(zip([f"{field}_day", f"{field}_month", f"{field}_year"], boxes, strict=True))
        return Mistake(field, changes, f"{DATES[field]} {problem}")
    reviewed = draw(dates_between(FIRST, LAST))
    due = draw(dates_between(FIRST, reviewed))  # on or before the date last reviewed
    return Mistake(
        "review_due_on",
        {
            **draw(date_boxes("last_reviewed_on", reviewed)),
            **draw(date_boxes("review_due_on", due)),
        },
        "The review due date must be after the date last reviewed",
    )


def details_of(offer: LocalOffer) -> dict:
    return LocalOffer.objects.values(*services.DETAILS_FIELDS).get(pk=offer.pk)


@PROPERTY
@given(data=st.data())
def test_a_valid_introduction_and_dates_are_saved_as_typed(data, editor_client, offer):
    payload, expected = data.draw(details_forms(), label="form and offer")
    url = reverse("localoffer_editor:details", args=[offer.slug])
    with undone():
        before, was = row_counts(), details_of(offer)
        accepted(editor_client.post(url, payload))
        assert details_of(offer) == expected
        history = {table(LocalOfferChange): 1, table(AuditEntry): 1}
        assert changed_counts(before) == (history if expected != was else {})
        assert_shown(editor_client, url, expected["intro"], expected["intro_cy"])


@PROPERTY
@given(data=st.data())
def test_an_invalid_introduction_or_date_saves_nothing_and_says_why(data, editor_client, offer):
    payload, _expected = data.draw(details_forms(), label="valid form")
    mistake = data.draw(details_mistakes(), label="mistake")
    url = reverse("localoffer_editor:details", args=[offer.slug])
    with undone():
        before, was = row_counts(), details_of(offer)
        response = editor_client.post(url, mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)
        assert details_of(offer) == was


# Sections -----------------------------------------------------------------------------------


@st.composite
def web_addresses(draw) -> tuple[str, str]:
    """(as typed, as saved): a council's page or document, typed with or without https://."""
    host = draw(st.sampled_from(["www.leeds.gov.uk", "leeds.gov.uk", "www.kent.gov.uk"]))
    path = draw(
        st.lists(
            st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=30), max_size=3
        )
    )
    address = host + "".join(f"/{part}" for part in path)
    scheme = draw(st.sampled_from(["https://", "http://", ""]))
    return scheme + address, (scheme or "https://") + address


@st.composite
def section_forms(draw) -> tuple[dict, dict]:
    link = draw(st.one_of(st.none(), web_addresses()))
    data = {
        "body": draw(free_text(20000, required=True)),
        "body_cy": draw(free_text(20000)),
        "link_url": link[0] if link else "",
        "link_text": draw(free_text(150, required=True, lines=False)) if link else "",
        "link_text_cy": draw(st.one_of(st.just(""), free_text(150, lines=False))),
    }
    expected = {name: value.strip() for name, value in data.items()}
    expected["link_url"] = link[1] if link else ""
    return data, expected


section_mistakes = st.one_of(
    st.one_of(blank, st.just(OMIT)).map(
        lambda v: Mistake("body", {"body": v}, "Enter what your council offers in this section")
    ),
    too_long_text(20000).map(
        lambda v: Mistake("body", {"body": v}, "The text must be 20,000 characters or fewer")
    ),
    too_long_text(20000).map(
        lambda v: Mistake(
            "body_cy", {"body_cy": v}, "The Welsh text must be 20,000 characters or fewer"
        )
    ),
    st.sampled_from(
        ["not a web address", "https://", "javascript:alert(1)", "www", "http://.uk"]
    ).map(
        lambda v: Mistake(
            "link_url",
            {"link_url": v, "link_text": "Our policy"},
            "Enter a web address in the correct format, like https://www.leeds.gov.uk",
        )
    ),
    st.integers(501, 600).map(
        lambda n: Mistake(
            "link_url",
            {"link_url": "https://www.leeds.gov.uk/" + "a" * (n - 25), "link_text": "Policy"},
            "The web address must be 500 characters or fewer",
        )
    ),
    web_addresses().map(
        lambda link: Mistake(
            "link_text", {"link_url": link[0], "link_text": ""}, "Enter the link text"
        )
    ),
    st.just(
        Mistake(
            "link_url",
            {"link_url": "", "link_text": "Our policy"},
            "Enter the web address the link goes to",
        )
    ),
    too_long_text(150).map(
        lambda v: Mistake(
            "link_text",
            {"link_url": "https://www.leeds.gov.uk/", "link_text": v},
            "The link text must be 150 characters or fewer",
        )
    ),
    too_long_text(150).map(
        lambda v: Mistake(
            "link_text_cy",
            {"link_text_cy": v},
            "The link text in Welsh must be 150 characters or fewer",
        )
    ),
)

SECTION_FIELDS = list(services.SECTION_FIELDS)


@PROPERTY
@given(data=st.data(), kind=st.sampled_from(SectionKind.values))
def test_a_valid_section_is_saved_as_typed(data, kind, editor_client, offer):
    payload, expected = data.draw(section_forms(), label="form and section")
    url = reverse("localoffer_editor:section", args=[offer.slug, kind])
    with undone():
        before = row_counts()
        accepted(editor_client.post(url, payload))
        assert changed_counts(before) == {
            table(LocalOfferSection): 1,
            table(LocalOfferChange): 1,
            table(AuditEntry): 1,
        }
        section = LocalOfferSection.objects.get(offer=offer, kind=kind)
        assert LocalOfferSection.objects.values(*SECTION_FIELDS).get(pk=section.pk) == expected
        shown = [expected[name] for name in SECTION_FIELDS]
        assert_shown(editor_client, url, *shown)


@PROPERTY
@given(data=st.data(), kind=st.sampled_from(SectionKind.values))
def test_an_invalid_section_saves_nothing_and_says_why(data, kind, editor_client, offer):
    payload, _expected = data.draw(section_forms(), label="valid form")
    mistake = data.draw(section_mistakes, label="mistake")
    url = reverse("localoffer_editor:section", args=[offer.slug, kind])
    with undone():
        before = row_counts()
        response = editor_client.post(url, mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)
