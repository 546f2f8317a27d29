"""Visitors' pages from the shared cache (core/pagecache.py): never stale, never someone's own.

Each change is made the way people make it (the booking page, the services content admins'
forms call) inside django_capture_on_commit_callbacks, so the generation is bumped when the
change commits, as it is in production. Every visitor is a new browser (a fresh Client)."""

import datetime
import gzip
import os
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from core.pagecache import KEY_PREFIX
from events import services as event_services
from events.models import Booking
from events.services import series as series_services
from localoffer import services as localoffer_services
from localoffer.models import SectionKind
from resources import services as resource_services
from resources.models import ResourceFeedback, SearchCount
from tests.factories import (
    CarerProfileFactory,
    EventFactory,
    ResourceFactory,
    TopicFactory,
    local_authority,
)
from tests.localoffer.factories import SupportGroupFactory, full_offer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The page cache on, in the tests' cache (this process's memory), emptied before and
    after: a page another test stored must not answer here."""
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def visit(url: str, **headers):
    """A visitor's GET from a browser of their own."""
    return Client().get(url, **headers)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def content(db):
    topic = TopicFactory(name="Money matters", slug="money-matters")
    resource = ResourceFactory(
        title="Help with money", summary="Allowances for carers.", topics=[topic], featured=True
    )
    event = EventFactory(title="Money workshop", capacity=1, local_authority=local_authority())
    event.topics.set([topic])
    offer = full_offer()
    group = SupportGroupFactory(name="Leeds grandparents' group")
    group.events.add(event)
    return SimpleNamespace(topic=topic, resource=resource, event=event, offer=offer, group=group)


def _more(count: int) -> None:
    for _ in range(count):
        ResourceFactory()
        EventFactory()


def _pages(content) -> list[str]:
    month = timezone.localtime(content.event.starts_at).strftime("%Y-%m")
    with translation.override("cy"):
        welsh = [reverse("portal:home"), reverse("events:detail", args=[content.event.slug])]
    return [
        reverse("portal:home"),
        reverse("resources:list"),
        reverse("resources:list") + "?topic=money-matters&kind=guide",
        reverse("resources:detail", args=[content.resource.slug]),
        reverse("events:list"),
        reverse("events:list") + "?format=online",
        reverse("events:calendar"),
        reverse("events:calendar") + f"?month={month}",
        reverse("events:detail", args=[content.event.slug]),
        reverse("localoffer:choose"),
        reverse("localoffer:groups"),
        reverse("localoffer:detail", args=[content.offer.slug]),
        *welsh,
    ]


# A page from the cache is one round trip to the cache and no query, whatever the data.
@pytest.mark.parametrize("more", [0, 12])
def test_a_visitors_second_request_runs_no_query_and_shows_the_same_page(
    content, more, django_assert_num_queries
):
    _more(more)
    for url in _pages(content):
        first = visit(url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss", url
        with django_assert_num_queries(0):
            second = visit(url)
        assert second.status_code == 200, url
        assert second["X-Page-Cache"] == "hit", url
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"], url
        assert "/accounts/login/" in text(second), url  # a visitor's page: "Sign in"


def test_pages_carry_their_security_headers_from_the_cache(content):
    url = reverse("events:list")
    first, second = visit(url), visit(url)
    assert second["X-Page-Cache"] == "hit"
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Vary"):
        assert second[header] == first[header], header
    assert "Set-Cookie" not in second


def test_a_search_from_the_cache_is_still_counted(content, django_assert_num_queries):
    url = reverse("resources:list") + "?q=money"
    assert "Help with money" in text(visit(url))
    # Only the count: the results come from the cache.
    with django_assert_num_queries(1):
        second = visit(url)
    assert second["X-Page-Cache"] == "hit" and "Help with money" in text(second)
    assert SearchCount.objects.get(query="money").searches == 2
    opened = reverse("resources:detail", args=[content.resource.slug]) + "?searched=money"
    visit(opened)
    assert visit(opened)["X-Page-Cache"] == "hit"
    assert SearchCount.objects.get(query="money").opened == 2


# Bookings change what every visitor sees at once.


def test_a_booking_that_fills_an_event_shows_it_full_to_the_next_visitor(
    content, carer_client, django_capture_on_commit_callbacks
):
    event = content.event
    detail, listing = reverse("events:detail", args=[event.slug]), reverse("events:list")
    home, offer = reverse("portal:home"), reverse("localoffer:detail", args=[content.offer.slug])
    for url in (detail, listing):
        visit(url)
        page = visit(url)
        assert page["X-Page-Cache"] == "hit" and "1 place left" in text(page)
    visit(home), visit(offer)

    with django_capture_on_commit_callbacks(execute=True):
        response = carer_client.post(reverse("events:book", args=[event.slug]), {"places": "1"})
    assert response.status_code == 302
    assert Booking.objects.get(event=event).status == Booking.Status.CONFIRMED

    for url in (detail, listing):
        page = visit(url)
        assert page["X-Page-Cache"] == "miss"
        assert "Full – join the waiting list" in text(page) and "1 place left" not in text(page)
    assert visit(home)["X-Page-Cache"] == "miss"
    assert visit(offer)["X-Page-Cache"] == "miss"


def test_a_booking_leaves_the_calendar_cached_and_an_event_edit_does_not(
    content, django_capture_on_commit_callbacks
):
    """The calendar shows no places, so bookings (the commonest change) need not rebuild it;
    a change to an event's details must."""
    month = timezone.localtime(content.event.starts_at).strftime("%Y-%m")
    calendar, detail = (
        f"{reverse('events:calendar')}?month={month}",
        reverse("events:detail", args=[content.event.slug]),
    )
    visit(calendar), visit(detail)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.booking_create(
            event=content.event, user=CarerProfileFactory().user, tell=False
        )
    assert visit(calendar)["X-Page-Cache"] == "hit"
    assert "Full – join the waiting list" in text(visit(detail))

    content.event.title = "Money workshop (new date)"
    with django_capture_on_commit_callbacks(execute=True):
        content.event.save()
    page = visit(calendar)
    assert page["X-Page-Cache"] == "miss" and "Money workshop (new date)" in text(page)


def test_a_cancelled_place_shows_as_free_again(content, django_capture_on_commit_callbacks):
    booking = event_services.booking_create(
        event=content.event, user=CarerProfileFactory().user, tell=False
    )
    url = reverse("events:detail", args=[content.event.slug])
    visit(url)
    assert "Full – join the waiting list" in text(visit(url))
    with django_capture_on_commit_callbacks(execute=True):
        event_services.booking_cancel(booking=booking)
    assert "1 place left" in text(visit(url))


def test_sessions_added_to_a_course_show_on_its_page(content, django_capture_on_commit_callbacks):
    """The sessions are made with bulk_create, which sends no signal of its own."""
    url = reverse("events:detail", args=[content.event.slug])
    visit(url)
    assert "One booking is for every session" not in text(visit(url))
    with django_capture_on_commit_callbacks(execute=True):
        series_services.course_sessions_add(
            event=content.event, frequency="weekly", interval=1, count=3
        )
    page = text(visit(url))
    assert "One booking is for every session" in page and "3 sessions" in page


# Content admins' changes to the library show at once.


def test_publishing_editing_and_unpublishing_a_resource_show_at_once(
    content, django_capture_on_commit_callbacks
):
    draft = ResourceFactory(title="Respite breaks", status="draft", published_at=None)
    listing, home = reverse("resources:list"), reverse("portal:home")
    page = reverse("resources:detail", args=[draft.slug])
    visit(listing)
    assert "Respite breaks" not in text(visit(listing))
    assert visit(page).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        resource_services.resource_publish(resource=draft)
    assert "Respite breaks" in text(visit(listing))
    assert "Respite breaks" in text(visit(page))
    assert visit(page)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Short breaks for carers"
        draft.featured = True
        draft.save()
    for url in (listing, page, home):
        assert "Short breaks for carers" in text(visit(url)), url

    with django_capture_on_commit_callbacks(execute=True):
        resource_services.resource_archive(resource=draft)
    assert "Short breaks for carers" not in text(visit(listing))
    assert "Short breaks for carers" not in text(visit(home))
    assert visit(page).status_code == 404


def test_a_topic_added_to_a_resource_shows_in_the_topic_filter(
    content, django_capture_on_commit_callbacks
):
    other = ResourceFactory(title="School admissions")
    url = reverse("resources:list") + "?topic=money-matters"
    visit(url)
    assert "School admissions" not in text(visit(url))
    with django_capture_on_commit_callbacks(execute=True):
        other.topics.add(content.topic)
    assert "School admissions" in text(visit(url))


def test_a_local_offer_edited_or_a_group_unpublished_shows_at_once(
    content, django_capture_on_commit_callbacks, content_admin
):
    offer_page, groups = (
        reverse("localoffer:detail", args=[content.offer.slug]),
        reverse("localoffer:groups"),
    )
    for url in (offer_page, groups):
        visit(url)
    assert "Leeds grandparents" in text(visit(groups))
    with django_capture_on_commit_callbacks(execute=True):
        localoffer_services.section_save(
            offer=content.offer,
            kind=SectionKind.FINANCIAL,
            by=content_admin,
            body="A new weekly allowance.",
        )
        content.group.published = False
        content.group.save()
    assert "A new weekly allowance." in text(visit(offer_page))
    assert "Leeds grandparents" not in text(visit(groups))


def test_a_council_renamed_shows_on_the_events_pages(content, django_capture_on_commit_callbacks):
    url = reverse("events:list")
    visit(url)
    assert "For carers in Leeds" in text(visit(url))
    council = local_authority()
    with django_capture_on_commit_callbacks(execute=True):
        council.name = "Leeds City"
        council.save()
    assert "For carers in Leeds City" in text(visit(url))


def test_what_no_change_announces_shows_within_page_cache_seconds(content, time_machine):
    """A scheduled publish time passing changes nothing in the database: the copy expires."""
    time_machine.move_to(timezone.now(), tick=False)
    ResourceFactory(
        title="Kinship allowance rates",
        published_at=timezone.now() + datetime.timedelta(seconds=30),
    )
    url = reverse("resources:list")
    visit(url)
    page = visit(url)
    assert page["X-Page-Cache"] == "hit" and "Kinship allowance rates" not in text(page)
    time_machine.shift(datetime.timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1))
    page = visit(url)
    assert page["X-Page-Cache"] == "miss" and "Kinship allowance rates" in text(page)


# Signed-in people: never served a visitor's page, never stored for one.


def test_a_signed_in_carer_gets_her_own_page_and_leaves_no_trace(content, carer, carer_client):
    home = reverse("portal:home")
    visit(home)
    assert visit(home)["X-Page-Cache"] == "hit"

    hers = carer_client.get(home)
    assert "X-Page-Cache" not in hers
    assert "Sign out" in text(hers) and "Go to your dashboard" in text(hers)

    after = visit(home)
    assert after["X-Page-Cache"] == "hit"
    assert "Sign out" not in text(after) and "Go to your dashboard" not in text(after)


def test_a_signed_in_carers_page_is_never_stored_for_a_visitor(content, carer, carer_client):
    url = reverse("events:detail", args=[content.event.slug])
    hers = carer_client.get(url)
    assert "Sign out" in text(hers) and "Book a place" in text(hers)
    visitor = visit(url)
    assert visitor["X-Page-Cache"] == "miss"  # nothing was stored from her request
    page = text(visitor)
    assert "Sign out" not in page and "Book a place" not in page and "Sign in to book" in page
    assert carer.email not in page and "csrfmiddlewaretoken" not in page


def test_a_visitor_with_a_session_cookie_is_never_answered_from_the_cache(content, carer):
    url = reverse("events:list")
    visit(url)
    browser = Client()
    browser.force_login(carer)
    assert "X-Page-Cache" not in browser.get(url)
    browser.logout()
    browser.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-forged"
    response = browser.get(url)
    assert response.status_code == 200 and "X-Page-Cache" not in response


# Language.


def test_a_visitor_who_chose_welsh_is_still_sent_to_the_welsh_page(content):
    home = reverse("portal:home")
    visit(home)
    assert visit(home)["X-Page-Cache"] == "hit"
    welsh_visitor = Client()
    welsh_visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    for _ in range(2):
        response = welsh_visitor.get(home)
        assert response.status_code == 302 and response["Location"] == "/cy/"
    welsh = welsh_visitor.get("/cy/")
    assert welsh.status_code == 200 and 'lang="cy"' in text(welsh)
    english = visit(home)
    assert english["X-Page-Cache"] == "hit" and 'lang="en-GB"' in text(english)


# What is never stored.


@pytest.mark.urls("tests.core.pagecache_urls")
@pytest.mark.parametrize(
    "url",
    ["/with-a-form/", "/with-a-message/", "/private/", "/by-browser/", "/signed-in-here/"],
)
def test_a_page_that_is_one_visitors_own_is_never_stored(url):
    first = visit(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    assert visit(url)["X-Page-Cache"] == "miss"


@pytest.mark.urls("tests.core.pagecache_urls")
def test_a_page_with_a_csrf_token_sets_its_cookie_and_is_not_shared():
    first = visit("/with-a-form/")
    assert settings.CSRF_COOKIE_NAME in first.cookies
    second = visit("/with-a-form/")
    assert settings.CSRF_COOKIE_NAME in second.cookies
    token = 'name="csrfmiddlewaretoken" value="'
    assert text(first).split(token)[1][:64] != text(second).split(token)[1][:64]


@pytest.mark.urls("tests.core.pagecache_urls")
def test_only_marked_pages_are_stored():
    assert visit("/plain/")["X-Page-Cache"] == "miss"
    assert visit("/plain/")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in visit("/unmarked/")
    assert "X-Page-Cache" not in visit("/unmarked/")


@pytest.mark.urls("tests.core.pagecache_urls")
def test_only_get_is_answered_from_the_cache():
    visit("/plain/")
    assert "X-Page-Cache" not in Client().head("/plain/")


def test_a_resource_page_sets_no_cookie_and_its_feedback_form_still_works(content):
    url = reverse("resources:detail", args=[content.resource.slug])
    page = visit(url)
    assert not page.cookies and "Was this page useful" in text(page)
    browser = Client(enforce_csrf_checks=True)  # as a browser: no token in the page
    response = browser.post(
        reverse("resources:feedback", args=[content.resource.slug]),
        {"useful": "yes", "comment": "Clear and kind."},
    )
    assert response.status_code == 302
    assert ResourceFeedback.objects.get(resource=content.resource).comment == "Clear and kind."


# When the cache cannot be used, pages are built as before.


def test_pages_still_render_when_redis_cannot_be_reached(content, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    url = reverse("events:detail", args=[content.event.slug])
    for _ in range(3):
        response = visit(url)
        assert response.status_code == 200 and "Money workshop" in text(response)
        assert "X-Page-Cache" not in response  # not this process's stand-in for Redis


@pytest.mark.redis
def test_with_redis_a_booking_made_anywhere_shows_to_the_next_visitor(
    content, django_capture_on_commit_callbacks
):
    """Against a real Redis, as every web process and worker share it: numbers stored as
    Redis integers (INCR) and pickled pages come back together in one round trip."""
    import uuid

    import redis

    prefix = f"pagecache-test-{uuid.uuid4().hex}"
    url = reverse("events:detail", args=[content.event.slug])
    backend = {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": prefix,
    }
    try:
        with override_settings(CACHES={"default": backend}):
            assert visit(url)["X-Page-Cache"] == "miss"
            page = visit(url)
            assert page["X-Page-Cache"] == "hit" and "1 place left" in text(page)
            with django_capture_on_commit_callbacks(execute=True):
                event_services.booking_create(
                    event=content.event, user=CarerProfileFactory().user, tell=False
                )
            page = visit(url)
            assert page["X-Page-Cache"] == "miss" and "Full – join the waiting list" in text(page)
            assert visit(url)["X-Page-Cache"] == "hit"
    finally:
        server = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


@pytest.mark.parametrize("failing", ["get_many", "set"])
def test_a_cache_error_never_stops_a_page(content, failing):
    url = reverse("events:list")
    with mock.patch.object(cache, failing, side_effect=RuntimeError("cache broken")):
        for _ in range(2):
            response = visit(url)
            assert response.status_code == 200 and "Money workshop" in text(response)


@pytest.mark.parametrize("stored", ["not a page", {"generations": {}}])
def test_a_page_stored_in_another_shape_is_built_again(content, stored):
    url = reverse("events:list")
    visit(url)
    [key] = [k.split(":", 2)[2] for k in cache._cache if KEY_PREFIX in k]  # locmem's keys
    cache.set(key, stored)
    response = visit(url)
    assert response.status_code == 200 and "Money workshop" in text(response)


# Compression.


def test_html_is_compressed_for_a_browser_that_accepts_gzip(content):
    url = reverse("portal:home")
    for expected in ("miss", "hit"):
        response = visit(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["X-Page-Cache"] == expected
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        page = gzip.decompress(response.content).decode()
        assert "Support for kinship carers" in page and "Money workshop" in page
    plain = visit(url)
    assert "Content-Encoding" not in plain and "Support for kinship carers" in text(plain)


def test_static_files_are_served_by_whitenoise_as_they_are(tmp_path, settings):
    """WhiteNoise answers before compression: an image is not compressed again, and a file
    with a compressed twin is sent as that twin."""
    settings.STATIC_ROOT = tmp_path
    image = bytes(range(256)) * 8  # as incompressible as a PNG, to gzip
    (tmp_path / "picture.png").write_bytes(image)
    css = b"body { color: #0b0c0c; }\n" * 100
    (tmp_path / "site.css").write_bytes(css)
    (tmp_path / "site.css.gz").write_bytes(gzip.compress(css))
    browser = Client()  # a new one: WhiteNoise reads STATIC_ROOT when it starts

    png = browser.get("/static/picture.png", HTTP_ACCEPT_ENCODING="gzip")
    assert png.status_code == 200 and "Content-Encoding" not in png
    assert b"".join(png.streaming_content) == image

    stylesheet = browser.get("/static/site.css", HTTP_ACCEPT_ENCODING="gzip")
    assert stylesheet["Content-Encoding"] == "gzip"
    assert b"".join(stylesheet.streaming_content) == (tmp_path / "site.css.gz").read_bytes()


def test_a_page_is_compressed_once_and_sent_compressed_from_the_cache(content):
    """The stored copy is compressed when it is stored: a hit is not compressed again, and
    a browser that does not accept gzip gets the same page uncompressed."""
    url = reverse("events:calendar")
    built = visit(url, HTTP_ACCEPT_ENCODING="gzip")
    assert built["X-Page-Cache"] == "miss"
    with mock.patch("django.middleware.gzip.compress_string") as compress_again:
        hits = [visit(url, HTTP_ACCEPT_ENCODING="gzip") for _ in range(2)]
    compress_again.assert_not_called()
    page = gzip.decompress(built.content)
    for hit in hits:
        assert hit["X-Page-Cache"] == "hit" and hit["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in hit["Vary"]
        assert int(hit["Content-Length"]) == len(hit.content)
        assert gzip.decompress(hit.content) == page
    assert "Money workshop" in page.decode()
    plain = visit(url)
    assert plain["X-Page-Cache"] == "hit" and "Content-Encoding" not in plain
    assert plain.content == page and int(plain["Content-Length"]) == len(page)
    assert "Accept-Encoding" in plain["Vary"]
