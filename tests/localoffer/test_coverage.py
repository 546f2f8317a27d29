"""Which councils have a kinship local offer: the coverage report for content admins, and the
line in a Virtual School head's morning summary when their council's offer is overdue."""

import datetime
import html
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.mail import absolute_url
from core.registry import staff_summary_sections
from localoffer.coverage import OfferState, coverage
from localoffer.notifications import local_offer_review_overdue
from schools.models import LocalAuthority, StaffMembership
from schools.services.staff import staff_summaries_claim_due
from tests.conftest import give_mfa
from tests.factories import (
    CarerProfileFactory,
    StaffMembershipFactory,
    UserFactory,
    VirtualSchoolFactory,
    local_authority,
)
from tests.localoffer.factories import KENT, LEEDS, LocalOfferFactory

pytestmark = pytest.mark.django_db

HARTLEPOOL = "E06000001"
CITY_OF_LONDON = "E09000001"
CARDIFF = "W06000015"
TODAY = datetime.date(2026, 11, 20)
REPORT = "admin:localoffer_localoffer_coverage"
SECTION = "Your council's kinship local offer"
KENT_OVERDUE = "The kinship local offer for Kent was due for review on Thursday 1 October 2026"


@pytest.fixture
def today(time_machine):
    time_machine.move_to(
        datetime.datetime(2026, 11, 20, 7, 0, tzinfo=timezone.get_current_timezone())
    )
    return timezone.localdate()


@pytest.fixture
def offers(today):
    """Leeds published and up to date, Kent published and overdue, Hartlepool a draft (with a
    past review date, which does not make a draft overdue); City of London has none."""
    return {
        "leeds": LocalOfferFactory(
            local_authority=local_authority(LEEDS),
            last_reviewed_on=datetime.date(2026, 9, 1),
            review_due_on=datetime.date(2027, 3, 1),
        ),
        "kent": LocalOfferFactory(
            local_authority=local_authority(KENT),
            last_reviewed_on=datetime.date(2026, 4, 1),
            review_due_on=datetime.date(2026, 10, 1),
        ),
        "hartlepool": LocalOfferFactory(
            local_authority=local_authority(HARTLEPOOL),
            status="draft",
            review_due_on=datetime.date(2026, 1, 1),
        ),
    }


def _text(response) -> str:
    """The page as a person reads it: tags removed, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _councils_listed(response) -> list[str]:
    table = re.search(r'<table id="coverage">.*?</table>', response.content.decode(), re.S)
    if table is None:
        return []
    names = re.findall(r'<th scope="row">(.*?)</th>', table.group(0), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", name)).strip() for name in names]


# The selector -------------------------------------------------------------------------------


def test_each_council_has_one_state_and_the_totals_add_up(offers, today):
    report = coverage()
    states = {row.council.gss_code: row.state for row in report.councils}
    assert states[LEEDS] == OfferState.PUBLISHED
    assert states[KENT] == OfferState.OVERDUE
    assert states[HARTLEPOOL] == OfferState.DRAFT
    assert states[CITY_OF_LONDON] == OfferState.NONE
    assert states[CARDIFF] == OfferState.NONE  # Welsh councils are counted too
    every = LocalAuthority.objects.count()
    assert len(report.councils) == every
    assert report.totals == {
        OfferState.PUBLISHED: 1,
        OfferState.OVERDUE: 1,
        OfferState.DRAFT: 1,
        OfferState.NONE: every - 3,
    }
    assert [row.council.gss_code for row in report.in_state("overdue")] == [KENT]


def test_an_offer_due_for_review_today_is_not_yet_overdue(today):
    LocalOfferFactory(local_authority=local_authority(KENT), review_due_on=today)
    LocalOfferFactory(local_authority=local_authority(LEEDS), review_due_on=None)
    assert coverage().totals[OfferState.PUBLISHED] == 2
    tomorrow = today + datetime.timedelta(days=1)
    assert [r.council.gss_code for r in coverage(tomorrow).in_state("overdue")] == [KENT]


def test_the_selector_reads_every_council_in_one_query(offers, django_assert_num_queries):
    with django_assert_num_queries(1):
        report = coverage()
        offers_seen = [row.offer.slug for row in report.councils if row.offer]
    assert len(offers_seen) == 3


# The report in admin ------------------------------------------------------------------------


def test_content_admin_sees_the_totals_and_every_council(client, content_admin, offers):
    client.force_login(content_admin)
    response = client.get(reverse(REPORT))
    assert response.status_code == 200
    none = LocalAuthority.objects.count() - 3
    text = _text(response)
    assert f"{LocalAuthority.objects.count()} councils in England and Wales." in text
    assert f"Published: 1 · Overdue for review: 1 · Draft: 1 · No offer: {none}" in text
    listed = _councils_listed(response)
    assert len(listed) == LocalAuthority.objects.count()
    assert {"Leeds", "Kent", "Hartlepool", "Cardiff"} <= set(listed)
    # Kent's row: its state and GOV.UK dates, and its name links to its offer in admin.
    assert (
        "Kent England Published, overdue for review Wednesday 1 April 2026 Thursday 1 October 2026"
        in text
    )
    page = response.content.decode()
    change = reverse("admin:localoffer_localoffer_change", args=[offers["kent"].pk])
    assert f'<a href="{change}">Kent</a>' in page


def test_a_council_with_no_offer_has_a_link_to_add_one_for_it(client, content_admin, offers):
    client.force_login(content_admin)
    london = local_authority(CITY_OF_LONDON)
    page = client.get(reverse(REPORT), {"state": "none"}).content.decode()
    add = f"{reverse('admin:localoffer_localoffer_add')}?local_authority={london.pk}"
    assert f'href="{add}"' in page
    form = client.get(add).content.decode()
    assert re.search(rf'<option value="{london.pk}" selected>City of London</option>', form)


@pytest.mark.parametrize(
    ("state", "shown", "not_shown"),
    [
        ("overdue", ["Kent"], ["Leeds", "Hartlepool", "City of London"]),
        ("published", ["Leeds"], ["Kent", "Hartlepool"]),
        ("draft", ["Hartlepool"], ["Leeds", "Kent"]),
        ("none", ["City of London", "Cardiff"], ["Leeds", "Kent", "Hartlepool"]),
    ],
)
def test_the_report_filters_by_state(client, content_admin, offers, state, shown, not_shown):
    client.force_login(content_admin)
    response = client.get(reverse(REPORT), {"state": state})
    listed = _councils_listed(response)
    assert set(shown) <= set(listed)
    assert not set(not_shown) & set(listed)
    # The totals stay those of every council, and the filter can be taken off.
    assert "Overdue for review: 1" in _text(response)
    assert "Show every council" in _text(response)


def test_a_state_no_council_is_in_says_so(client, content_admin, today):
    LocalOfferFactory(local_authority=local_authority(LEEDS))
    client.force_login(content_admin)
    response = client.get(reverse(REPORT), {"state": "draft"})
    assert _councils_listed(response) == []
    assert "Draft: 0" in _text(response)
    assert "No councils to show." in _text(response)


def test_an_unknown_state_shows_every_council(client, content_admin, offers):
    client.force_login(content_admin)
    response = client.get(reverse(REPORT), {"state": "lost"})
    assert response.status_code == 200
    assert len(_councils_listed(response)) == LocalAuthority.objects.count()


def test_the_offers_list_links_to_the_report(client, content_admin):
    client.force_login(content_admin)
    page = client.get(reverse("admin:localoffer_localoffer_changelist")).content.decode()
    assert f'<a href="{reverse(REPORT)}">Coverage report</a>' in page


def test_people_who_are_not_content_admins_are_refused(client, carer, head):
    for person in (carer, head):
        client.force_login(person)
        response = client.get(reverse(REPORT))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    # Staff in admin, but not allowed to see local offers.
    other_staff = UserFactory(is_staff=True)
    give_mfa(other_staff)
    client.force_login(other_staff)
    assert client.get(reverse(REPORT)).status_code == 403


def _report_queries(client) -> int:
    """The page's queries, less the session's own (saved on some requests, not others)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(REPORT))
    assert response.status_code == 200
    return len(
        [q for q in queries if "accounts_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    )


def test_the_report_reads_the_same_number_of_queries_for_2_or_10_offers(client, content_admin):
    client.force_login(content_admin)
    councils = list(LocalAuthority.objects.order_by("gss_code")[:10])
    for council in councils[:2]:
        LocalOfferFactory(local_authority=council)
    with_2 = _report_queries(client)
    for council in councils[2:]:
        LocalOfferFactory(local_authority=council, status="draft")
    with_10 = _report_queries(client)
    # The signed-in user (1), their authenticator app (1), their permissions (2), every
    # council with its offer (1), and the staff membership the admin's header looks for (1).
    # Every council is listed at both sizes, so a query per council would show here too.
    assert with_2 == with_10 == 6, "the report reads each council's offer one by one"


# The morning summary ------------------------------------------------------------------------


def _member(gss: str, role: str, **fields) -> StaffMembership:
    virtual_school = VirtualSchoolFactory(local_authority=local_authority(gss))
    membership = StaffMembershipFactory(virtual_school=virtual_school, role=role, **fields)
    # As the morning summary loads them.
    return StaffMembership.objects.select_related("user", "virtual_school").get(pk=membership.pk)


def _section(membership) -> dict | None:
    return next((s for s in staff_summary_sections(membership) if s["title"] == SECTION), None)


def test_the_head_of_a_council_whose_offer_is_overdue_is_told(offers):
    section = _section(_member(KENT, "head"))
    assert section is not None
    assert section["items"] == [
        {"text": KENT_OVERDUE, "url": absolute_url(offers["kent"].get_absolute_url())}
    ]


def test_a_head_who_edits_the_offer_is_sent_to_the_editor(offers):
    section = _section(_member(KENT, "head", edits_local_offer=True))
    assert section["items"][0]["url"] == absolute_url(offers["kent"].get_editor_url())


@pytest.mark.parametrize(
    ("gss", "role"),
    [
        (KENT, "officer"),  # overdue, but officers do not keep the offer
        (KENT, "read_only"),
        (LEEDS, "head"),  # up to date
        (HARTLEPOOL, "head"),  # a draft is not reviewed for carers
        (CITY_OF_LONDON, "head"),  # no offer
    ],
)
def test_no_section_for_others(offers, gss, role):
    assert _section(_member(gss, role)) is None


def test_the_section_costs_a_head_one_query_and_others_none(offers, django_assert_num_queries):
    head, officer = _member(KENT, "head"), _member(KENT, "officer")
    with django_assert_num_queries(1):
        assert local_offer_review_overdue(head) is not None
    with django_assert_num_queries(0):
        assert local_offer_review_overdue(officer) is None


def test_the_morning_summary_email_tells_the_head(offers, django_capture_on_commit_callbacks):
    head = _member(KENT, "head")
    _member(KENT, "officer")  # nothing else waiting for her: no e-mail
    CarerProfileFactory()  # carers get no summary
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_summaries_claim_due() == 1
    [message] = mail.outbox
    assert message.to == [head.user.email]
    assert SECTION in message.body
    assert f"{KENT_OVERDUE}: {absolute_url(offers['kent'].get_absolute_url())}" in message.body
    assert KENT_OVERDUE in message.alternatives[0][0]
