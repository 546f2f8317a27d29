"""What browsers and search engines ask every site for: /robots.txt, /favicon.ico, and a
description of each public page."""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, ResourceFactory
from tests.localoffer.factories import full_offer

pytestmark = pytest.mark.django_db

DEFAULT = (
    "Advice, events and support for kinship carers: grandparents, aunts, uncles, brothers, "
    "sisters and family friends raising a child whose parents cannot."
)


def _description(response) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', response.content.decode())
    assert len(found) == 1, found
    return html.unescape(found[0])


def test_robots_txt_keeps_search_engines_out_of_staff_account_and_personal_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines[1:]}
    for path in ("/school/", "/admin/", "/accounts/", "/dashboard/", "/profile/", "/advice/"):
        assert {path, f"/cy{path}"} <= disallowed, path
    assert "/training/" in disallowed and "/events/feed/" in disallowed
    # Public pages stay open to search engines.
    for public in ("/", "/resources/", "/events/", "/local-offer/", "/cy/"):
        assert not any(public.startswith(path) for path in disallowed if path != "/"), public
    assert "/" not in disallowed


def test_favicon_ico_is_the_portals_own_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    # The portal's own mark (a house with a heart), not GOV.UK's crown.
    assert response.content == (settings.BASE_DIR / "static_src/images/favicon.ico").read_bytes()


def test_each_public_page_describes_itself(client):
    resource = ResourceFactory(summary="How to claim the special guardianship allowance.")
    event = EventFactory(
        summary="An evening workshop on starting secondary school.",
        starts_at=timezone.now() + datetime.timedelta(days=10),
    )
    offer = full_offer()
    own = {
        reverse("portal:home"): "Read advice and guides for kinship carers",
        reverse("resources:list"): "Advice and guides for kinship carers:",
        resource.get_absolute_url(): "How to claim the special guardianship allowance.",
        reverse("resources:help_checker"): "Answer a few questions",
        reverse("events:list"): "Webinars, workshops and support groups for kinship carers:",
        event.get_absolute_url(): "An evening workshop on starting secondary school.",
        reverse("events:calendar") + "?month=2026-12": "kinship carers in December 2026, day",
        reverse("localoffer:choose"): "Find your council's kinship local offer",
        offer.get_absolute_url(): "The kinship local offer from Leeds:",
        reverse("localoffer:groups"): "Support groups where kinship carers meet",
        reverse("portal:accessibility"): "How accessible this portal is",
        reverse("portal:cookies"): "The cookies this portal uses",
        reverse("portal:privacy"): "What personal information this portal keeps",
        reverse("account_login"): "Sign in to book events",
        reverse("account_signup"): "Create a free account",
    }
    seen = set()
    for url, start in own.items():
        response = client.get(url)
        assert response.status_code == 200, url
        description = _description(response)
        assert start in description and description != DEFAULT, (url, description)
        seen.add(description)
    assert len(seen) == len(own)  # no two pages say the same
    # A page with nothing of its own to say has the portal's description.
    assert _description(client.get(reverse("account_reset_password"))) == DEFAULT


def test_descriptions_are_in_welsh_on_welsh_pages(client):
    assert _description(client.get("/cy/events/")) == (
        "Gweminarau, gweithdai a grwpiau cymorth i ofalwyr sy'n berthnasau: gweld beth sydd "
        "ymlaen ac archebu lle."
    )
    assert _description(client.get("/cy/accounts/password/reset/")).startswith(
        "Cyngor, digwyddiadau a chymorth i ofalwyr sy'n berthnasau"
    )
