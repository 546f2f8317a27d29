"""Browser tests: Playwright drives the system Chromium against pytest-django's live server.

One browser for all the browser tests, a fresh context (cookies, storage) for every test.

Playwright's sync API keeps an asyncio event loop running in the test thread while the
browser is open. Two things follow, and the ``browser`` fixture deals with both for as long
as the browser is open (and only then, so the rest of the suite is unaffected):

- Django refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation)
  unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The tests touch the database from the test thread
  while the pages talk to the live server in another thread, which is safe.
- With a running loop, Django keeps the thread's database connections in different storage,
  so the test thread gets new connection objects. They lack the snapshot that serialized
  rollback restores from, so the fixture hands it over.
"""

import os
import re
import shutil
import time

import pytest

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the secret tests.conftest.give_mfa sets up

# The live server needs committed rows; serialized_rollback restores what the data
# migrations loaded (local authorities, topics, entitlements) after each flush.
browser_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _unavailable(reason: str):
    """Outside CI a machine without a browser skips these tests; CI must run them."""
    if os.environ.get("PORTAL_REQUIRE_SERVICES") == "1":
        pytest.fail(f"Browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser(django_db_setup, django_db_blocker):
    """Chromium, shared by the tests in this package and closed after the last of them."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install playwright")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    from django.db import connections

    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            for alias, snapshot in snapshots.items():
                connections[alias]._test_serialized_contents = snapshot
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
        finally:
            with django_db_blocker.unblock():
                connections.close_all()  # the connections opened while the loop was running
            playwright.stop()


@pytest.fixture
def new_context(browser, live_server):
    """Open more browser contexts (one per person) in a test; all are closed afterwards."""
    from django.core.cache import cache

    cache.clear()  # used TOTP codes and the like are kept in the (in-process) cache
    contexts = []

    def make(**options):
        options = {
            "base_url": live_server.url,
            "locale": "en-GB",
            "timezone_id": "Europe/London",
            "viewport": {"width": 1280, "height": 800},
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


def sign_in_as(context, user, live_server) -> None:
    """Give the browser a signed-in session for user, without going through the login pages."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The authenticator app's current code; never one about to expire before it is sent."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    left_in_period = 30 - time.time() % 30
    if left_in_period < 3:
        time.sleep(left_in_period)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def local_path(url: str) -> str:
    """The path and query of a link in an e-mail (e-mails use SITE_URL, not the live server)."""
    return re.sub(r"^https?://[^/]+", "", url)
