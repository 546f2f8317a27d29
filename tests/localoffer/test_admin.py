"""Content admins keep every council's offer and the groups directory in the admin."""

import pytest
from django.urls import reverse

from localoffer.models import LocalOffer, LocalOfferSection, SupportGroup
from tests.factories import local_authority
from tests.localoffer.factories import KENT, LocalOfferFactory, SectionFactory

pytestmark = pytest.mark.django_db

INLINE = "sections"


def _inline(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def test_content_admin_writes_an_offer_with_sections_in_english_and_welsh(client, content_admin):
    client.force_login(content_admin)
    kent = local_authority(KENT)
    data = {
        "local_authority": kent.pk,
        "slug": "",
        "intro": "Help for kinship carers in Kent.",
        "intro_cy": "Help i ofalwyr sy'n berthnasau yng Nghaint.",
        "status": "published",
        "last_reviewed_on": "2026-10-01",
        "review_due_on": "2027-04-01",
        **_inline(
            INLINE,
            [
                {"kind": "legal", "body": "Free legal advice.", "body_cy": "Cyngor cyfreithiol."},
                {
                    "kind": "financial",
                    "body": "Allowances.",
                    "link_url": "www.example.org/a.pdf",
                    "link_text": "Allowances policy",
                },
            ],
        ),
    }
    response = client.post(reverse("admin:localoffer_localoffer_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    offer = LocalOffer.objects.get(local_authority=kent)
    assert offer.slug == "kent"
    assert [s.kind for s in offer.sections.all()] == ["financial", "legal"]
    assert offer.sections.get(kind="financial").link_url == "https://www.example.org/a.pdf"
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "Free legal advice." in page


def test_two_sections_of_the_same_kind_are_refused_and_nothing_saved(client, content_admin):
    client.force_login(content_admin)
    offer = LocalOfferFactory()
    data = {
        "local_authority": offer.local_authority_id,
        "slug": offer.slug,
        "status": "published",
        **_inline(INLINE, [{"kind": "legal", "body": "One"}, {"kind": "legal", "body": "Two"}]),
    }
    response = client.post(reverse("admin:localoffer_localoffer_change", args=[offer.pk]), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for kind" in response.content.decode()
    assert not LocalOfferSection.objects.exists()


def test_change_page_shows_english_and_welsh_side_by_side(client, content_admin):
    client.force_login(content_admin)
    section = SectionFactory()
    page = client.get(
        reverse("admin:localoffer_localoffer_change", args=[section.offer.pk])
    ).content.decode()
    assert 'name="sections-0-body"' in page and 'name="sections-0-body_cy"' in page
    assert 'name="intro_cy"' in page


def test_support_group_needs_a_day_when_it_says_which_week(client, content_admin):
    client.force_login(content_admin)
    response = client.post(
        reverse("admin:localoffer_supportgroup_add"),
        {"name": "Dads' group", "format": "in_person", "week_of_month": "second", "weekday": ""},
    )
    assert response.status_code == 200
    assert "Choose the day the group meets" in response.content.decode()
    assert not SupportGroup.objects.exists()


def test_content_admin_group_can_curate_offers_and_groups(content_admin):
    for model in ("localoffer", "localoffersection", "supportgroup"):
        for action in ("add", "change", "delete", "view"):
            assert content_admin.has_perm(f"localoffer.{action}_{model}")


def test_content_admins_read_each_offers_history_but_never_change_it(client, content_admin):
    assert content_admin.has_perm("localoffer.view_localofferchange")
    assert not content_admin.has_perm("localoffer.change_localofferchange")
    assert not content_admin.has_perm("localoffer.delete_localofferchange")
    offer = LocalOfferFactory()
    from localoffer import services

    services.section_save(offer=offer, kind="legal", by=content_admin, body="Free advice.")
    client.force_login(content_admin)
    listing = client.get(reverse("admin:localoffer_localofferchange_changelist"))
    assert listing.status_code == 200
    change = offer.changes.get()
    page = client.get(reverse("admin:localoffer_localofferchange_change", args=[change.pk]))
    assert "Free advice." in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
