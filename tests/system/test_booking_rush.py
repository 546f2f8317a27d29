"""50 carers press "Book a place" at the same moment, on the portal as ./scripts/run starts it:
runserver (threaded) and a Celery worker with embedded beat, each its own process.

Nobody sees an error page, places are never oversold, each carer gets exactly one e-mail
about their booking, and the notification ledger says every one of them was sent. Once on the
embedded default (SQLite, file broker, mail to files), once on PostgreSQL. Everything the
portal writes goes under pytest's tmp_path; the working tree is checked for leftovers.
"""

import json
import os
import secrets
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.urls import reverse

from tests.system.portal import (
    Browser,
    Portal,
    form_fields,
    recipients,
    tree_changes,
    wait_until,
    working_tree,
)

CARERS = 50
CAPACITY = 20  # and one place per household, so exactly 20 carers get in
EVENT = "booking-rush-workshop"
BOOKED = "Your place is booked: Booking rush workshop"
WAITING = "You're on the waiting list: Booking rush workshop"
UNSETTLED = ("pending", "sending")  # ledger states that still mean "not sent yet"


@dataclass
class Rush:
    portal: Portal
    sessions: dict[str, dict[str, str]]  # carer's email -> their signed-in session cookie
    tree_before: dict | None


def _rush(tmp_path, database_url: str):
    """Migrate a fresh database, add the event and 50 signed-in carers, start the portal."""
    tree_before = working_tree()
    portal = Portal(tmp_path, database_url=database_url)
    try:
        portal.manage("migrate", "--noinput", "--verbosity", "0")
        sessions_file = tmp_path / "sessions.json"
        portal.manage(
            "shell",
            "-c",
            "from tests.system.portal import child_seed; "
            f"child_seed(event_slug={EVENT!r}, capacity={CAPACITY}, carers={CARERS}, "
            f"output={str(sessions_file)!r})",
        )
        portal.start()
        yield Rush(portal, json.loads(sessions_file.read_text()), tree_before)
    finally:
        portal.stop()
        print(portal.log_tails())  # pytest shows this only when the test fails


@pytest.fixture
def embedded_rush(tmp_path):
    yield from _rush(tmp_path, f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}")


@contextmanager
def fresh_postgres_database():
    """A database of its own on the server DATABASE_URL names, dropped afterwards."""
    import psycopg
    from psycopg import sql

    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"kinship_portal_rush_{secrets.token_hex(4)}"
    maintenance = urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(server._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def postgres_rush(tmp_path):
    # Broker: still the file broker (REDIS_URL is unset for the portal, as on the embedded
    # default), so this run differs from the first in the database alone.
    with fresh_postgres_database() as database_url:
        yield from _rush(tmp_path, database_url)


def test_fifty_carers_booking_at_once_on_the_embedded_default(embedded_rush):
    _fifty_carers_book_at_once(embedded_rush)


@pytest.mark.postgres
def test_fifty_carers_booking_at_once_on_postgresql(postgres_rush):
    _fifty_carers_book_at_once(postgres_rush)


# The scenario ---------------------------------------------------------------------------------


def _fifty_carers_book_at_once(rush: Rush) -> None:
    portal, carers = rush.portal, set(rush.sessions)
    started = time.monotonic()

    outcomes = _press_book_at_once(rush)
    seen = Counter(outcomes.values())
    assert set(seen) <= {"200", "302"}, (
        f"carers pressing 'Book a place' together were answered {dict(seen)}; "
        f"for example {_examples(outcomes, lambda o: o not in ('200', '302'))}\n"
        f"{portal.log_tails()}"
    )

    state = portal.state(EVENT)
    booking_of = dict(state["bookings"])
    assert Counter(booking_of.values()) == {
        "confirmed": CAPACITY,
        "waitlisted": CARERS - CAPACITY,
    }, f"bookings in the database: {Counter(booking_of.values())}; pages answered {dict(seen)}"
    assert len(state["bookings"]) == CARERS and set(booking_of) == carers, (
        f"{len(state['bookings'])} bookings for {len(set(booking_of))} of the {CARERS} carers"
    )

    # Mail: let the worker finish, run the pending-mail sweep, let the worker finish again.
    drained = wait_until(lambda: _settled(portal), timeout=60)
    before_sweep = Counter(status for *_, status in portal.state(EVENT)["notifications"])
    requeued = portal.manage(
        "shell",
        "-c",
        "from core.tasks import requeue_pending_notifications as sweep; "
        "print(sweep(older_than_minutes=0))",
    ).split()[-1]  # the last line: how many it queued again
    wait_until(lambda: _settled(portal) and carers <= _mailed(portal), timeout=40)

    got = defaultdict(list)
    for message in portal.mails():
        for address in recipients(message):
            got[address].append(str(message["Subject"]))
    expected = {
        email: [BOOKED if booking_of[email] == "confirmed" else WAITING] for email in carers
    }
    wrong = {email: got.get(email, []) for email in carers if got.get(email, []) != expected[email]}
    assert not wrong, (
        f"{len(wrong)} of {CARERS} carers did not get exactly one email about their booking "
        f"(worker drained before the sweep: {bool(drained)}, ledger then {dict(before_sweep)}, "
        f"sweep requeued {requeued}); what some got: {dict(list(wrong.items())[:8])}\n"
        f"{portal.log_tails()}"
    )
    assert set(got) <= carers, f"mail went to people who did not book: {set(got) - carers}"

    rows = portal.state(EVENT)["notifications"]
    assert Counter(status for *_, status in rows) == {"sent": CARERS}, (
        f"the notification ledger after every carer got their email, by kind and status: "
        f"{dict(Counter((kind, status) for _, kind, status in rows))} "
        f"(expected {CARERS} rows, all 'sent')"
    )

    portal.stop()
    _assert_working_tree_untouched(rush.tree_before)
    print(
        f"answers {dict(seen)}; bookings {dict(Counter(booking_of.values()))}; "
        f"mails per carer {dict(Counter(len(got[e]) for e in carers))}; ledger before sweep "
        f"{dict(before_sweep)}, sweep requeued {requeued}; {time.monotonic() - started:.1f} s"
    )


def _press_book_at_once(rush: Rush) -> dict[str, str]:
    """Each carer opens the event page in a browser of their own; then all press the button
    together, each on a new connection, so 50 connections reach the server's listening socket
    at once and 50 runserver threads handle the bookings. Returns each carer's answer: the
    HTTP status, or the error (a connection reset by a full accept queue among them).
    """
    page = reverse("events:detail", args=[EVENT])
    action = reverse("events:book", args=[EVENT])
    barrier = threading.Barrier(len(rush.sessions))
    outcomes: dict[str, str] = {}

    def carer(email: str, cookies: dict[str, str]) -> None:
        browser = Browser(rush.portal.url, cookies)
        try:
            response = browser.get(page)
            fields = form_fields(response.body, action)
            if response.status != 200 or fields is None or "Book a place" not in response.body:
                raise AssertionError(
                    f"event page answered {response.status} without 'Book a place'"
                )
            barrier.wait(timeout=60)
            outcomes[email] = str(browser.post(action, fields).status)
        except Exception as error:  # noqa: BLE001 - every failure is reported by the test
            barrier.abort()  # nobody waits for a carer who will not come
            outcomes[email] = f"{type(error).__name__}: {error}"
        finally:
            browser.close()

    threads = [
        threading.Thread(target=carer, args=item, daemon=True) for item in rush.sessions.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 90
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    for email in rush.sessions:
        outcomes.setdefault(email, "no answer within 90 s")
    return outcomes


def _settled(portal: Portal) -> bool:
    """Nothing waiting in the broker and nothing in the ledger still to be sent."""
    if portal.queued_tasks():
        return False
    return not any(status in UNSETTLED for *_, status in portal.state(EVENT)["notifications"])


def _mailed(portal: Portal) -> set[str]:
    return {address for message in portal.mails() for address in recipients(message)}


def _examples(outcomes: dict[str, str], wanted) -> dict[str, str]:
    return dict([item for item in outcomes.items() if wanted(item[1])][:5])


def _assert_working_tree_untouched(before: dict | None) -> None:
    if before is None:
        print("git (or .git) is missing: the working tree was not checked")
        return
    changes = tree_changes(before, working_tree())
    assert changes == [], (
        "the portal wrote into the working tree (it must write only under PORTAL_VAR_DIR):\n"
        + "\n".join(changes)
    )
