"""The library's "Filter" toggle: it says how many filters are in use, lists each as a link
that removes it, and is closed (results first on a phone) unless a filter needs correcting."""

import re

import pytest
from django.urls import reverse

from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _toggle(response) -> tuple[bool, str]:
    """Whether the toggle is open, and what its button says."""
    page = response.content.decode()
    details = re.search(
        r'<details class="app-filter-toggle"( open)?>\s*<summary[^>]*>(.*?)</summary>', page, re.S
    )
    return bool(details[1]), " ".join(details[2].split())


def _remove_links(response) -> dict[str, str]:
    page = response.content.decode()
    return {
        " ".join(re.sub(r"<[^>]+>", "", text).replace("×", "").split()): href.replace("&amp;", "&")
        for href, text in re.findall(
            r'<a class="app-selected-filter" href="([^"]*)">(.*?)</a>', page
        )
    }


def test_the_toggle_counts_the_filters_in_use_and_each_can_be_removed(client):
    TopicFactory(name="Pocket money", slug="pocket-money")
    ResourceFactory(title="Giving a child pocket money")
    url = reverse("resources:list")

    response = client.get(url)
    assert _toggle(response) == (False, "Filter")
    assert _remove_links(response) == {}

    # The search words and the sort order are not filters; a page number is dropped on removal.
    params = {"q": "money", "topic": "pocket-money", "kind": "guide", "sort": "newest", "page": "1"}
    response = client.get(url, params)
    assert _toggle(response) == (False, "Filter (2 applied)")
    assert _remove_links(response) == {
        "Remove filter Topics: Pocket money": "?q=money&kind=guide&sort=newest",
        "Remove filter Type: Guide": "?q=money&topic=pocket-money&sort=newest",
    }

    response = client.get(reverse("resources:list"), {"topic": "pocket-money"})
    assert _remove_links(response) == {"Remove filter Topics: Pocket money": url}


def test_the_toggle_is_open_when_a_filter_needs_correcting(client):
    response = client.get(reverse("resources:list"), {"topic": "no-such-topic", "kind": "guide"})
    assert _toggle(response) == (True, "Filter (1 applied)")
    assert "Choose topics from the list" in response.content.decode()


def test_the_toggle_speaks_welsh(client):
    response = client.get("/cy/resources/", {"kind": "guide"})
    assert _toggle(response) == (False, "Hidlo (1 wedi'i ddefnyddio)")
    assert "Tynnu'r hidlwr" in response.content.decode()
