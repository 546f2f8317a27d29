"""Two web processes behind one load balancer behave as one portal.

Two gunicorn processes (one worker each, as on two machines) on different ports share the
PostgreSQL test database and one Redis database, with production settings (DEBUG off). A
load balancer may send a person's next request to either, so:

- signing in on one is signing in on both (sessions are rows in the database);
- the sign-in rate limit counts attempts on both together (its counters are in Redis), so
  spreading guesses over the machines gains nothing;
- a change made through one is on the pages the other serves from the shared page cache
  at once.
"""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from accounts.models import User
from tests.factories import CarerProfileFactory, EventFactory
from tests.system.portal import (
    BehindLoadBalancer,
    ProductionPortal,
    flushed_redis_url,
    form_fields,
    migrated_test_database_url,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    # The processes need committed rows; serialized_rollback restores what the data
    # migrations loaded (local authorities) after the tables are emptied.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REDIS_DB = 11  # this module's own, emptied at the start
# The name people use for the portal: the balancer passes it to whichever process it picks.
PUBLIC_HOST = "127.0.0.1"
PASSWORD = "correct horse battery staple"
WRONG = "not her password at all"
TOO_MANY = "You have tried to sign in too many times"
NOT_RIGHT = "The email address or password is not right"
# ACCOUNT_RATE_LIMITS["login_failed"] in settings.py: "10/m/ip,5/5m/key", allauth's key being
# the site's host name (from the Host header) and the email address. The sixth attempt for
# one address within 5 minutes is refused.
FAILED_ATTEMPTS_ALLOWED = 5


@pytest.fixture(scope="module")
def web(tmp_path_factory, django_db_setup):
    """Web processes A and B, started once for the module (each test seeds its own rows)."""
    tmp_path = tmp_path_factory.mktemp("two_web")
    portal = ProductionPortal(
        tmp_path,
        database_url=migrated_test_database_url(),
        redis_url=flushed_redis_url(REDIS_DB),
    )
    try:
        portal.start_web("web-a", "web-b")
        yield portal
    finally:
        portal.stop()
        print(portal.log_tails())  # pytest shows this only when a test fails


def _carer(email: str, first_name: str) -> User:
    """A carer who has confirmed her address and finished her profile, with a password the
    web processes can check. The tests' own hasher (MD5) is not among the production ones,
    so the hash is PBKDF2 – with few iterations, to keep the test fast (gunicorn upgrades it
    on her first sign-in, as it would an old hash)."""
    user = CarerProfileFactory(user__email=email, user__first_name=first_name).user
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def _sign_in(browser: BehindLoadBalancer, email: str, password: str):
    """Open the sign-in page and send its form, CSRF token and all, as a browser does (both
    requests to the web process the browser is sent to now)."""
    action = reverse("account_login")
    page = browser.get(action)
    fields = form_fields(page.body, action)
    assert page.status == 200 and fields is not None, f"sign-in page answered {page.status}"
    assert fields.get("csrfmiddlewaretoken"), "the sign-in form has no CSRF token"
    return browser.post(action, {**fields, "login": email, "password": password})


def test_signed_in_on_one_web_process_is_signed_in_on_the_other(web):
    _carer("margaret@two-web.example", "Margaret")
    browser = BehindLoadBalancer(web.web_urls, host=PUBLIC_HOST)

    signed_in = _sign_in(browser.via("web-a"), "margaret@two-web.example", PASSWORD)
    assert signed_in.status == 302, f"signing in on A answered {signed_in.status}"
    assert signed_in.headers["Location"] == reverse("portal:dashboard")

    # The balancer sends her next request to B, with the cookies A set.
    dashboard = browser.via("web-b").get(reverse("portal:dashboard"))
    browser.close()
    assert dashboard.status == 200, (
        f"B answered {dashboard.status} (Location: {dashboard.headers.get('Location')}) to the "
        "dashboard of a carer signed in on A"
    )
    assert "Hello, Margaret" in dashboard.body


def test_failed_sign_ins_spread_over_both_processes_count_together(web):
    _carer("dave@two-web.example", "Dave")
    browser = BehindLoadBalancer(web.web_urls, host=PUBLIC_HOST)
    seen = {"web-a": 0, "web-b": 0}

    for attempt in range(FAILED_ATTEMPTS_ALLOWED):  # A, B, A, B, A: a wrong password each time
        process = "web-a" if attempt % 2 == 0 else "web-b"
        seen[process] += 1
        answer = _sign_in(browser.via(process), "dave@two-web.example", WRONG)
        assert answer.status == 200 and NOT_RIGHT in answer.body, (
            f"failed attempt {attempt + 1} (on {process}) was not simply turned down: "
            f"{answer.status}"
        )

    # The next attempt goes to B, which has seen only 2 of the 5: it is refused, even with the
    # right password, because the limit counted the attempts on both processes.
    seen["web-b"] += 1
    refused = _sign_in(browser.via("web-b"), "dave@two-web.example", PASSWORD)
    dashboard = browser.get(reverse("portal:dashboard"))
    browser.close()
    assert seen == {"web-a": 3, "web-b": 3}  # neither process alone saw 6 attempts
    assert refused.status == 200, f"attempt 6 on B answered {refused.status}"
    assert TOO_MANY in refused.body, (
        "attempt 6 (B's third) was not refused: each process counted failed sign-ins on its own"
    )
    assert dashboard.status == 302, "Dave is signed in after all"


def test_a_booking_on_one_process_shows_on_the_other_at_once(web):
    """Visitors' pages come from the shared page cache (core/pagecache.py). A booking made
    through A changes the event page a visitor gets from B on her very next request: the
    copy B stored before is never served again, on any process."""
    event = EventFactory(title="Two web workshop", slug="two-web-workshop", capacity=10)
    _carer("chloe@two-web.example", "Chloe")
    page = reverse("events:detail", args=[event.slug])
    visitor = BehindLoadBalancer(web.web_urls, host=PUBLIC_HOST).via("web-b")

    first, again = visitor.get(page), visitor.get(page)
    assert first.status == again.status == 200
    assert "10 places left" in first.body
    assert again.headers.get("X-Page-Cache") == "hit", (
        "B did not answer the visitor's second request from the page cache "
        f"(X-Page-Cache: {again.headers.get('X-Page-Cache')}): this test would prove nothing"
    )

    carer = BehindLoadBalancer(web.web_urls, host=PUBLIC_HOST).via("web-a")
    assert _sign_in(carer, "chloe@two-web.example", PASSWORD).status == 302
    action = reverse("events:book", args=[event.slug])
    fields = form_fields(carer.get(page).body, action)
    assert fields is not None, "the signed-in carer's event page on A has no booking form"
    booked = carer.post(action, fields)
    carer.close()
    assert booked.status == 302, f"booking on A answered {booked.status}"

    after = visitor.get(page)
    visitor.close()
    assert after.status == 200
    assert "9 places left" in after.body, (
        "the visitor still saw the page B had stored before the booking made on A "
        f"(X-Page-Cache: {after.headers.get('X-Page-Cache')})"
    )
