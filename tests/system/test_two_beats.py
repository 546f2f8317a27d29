"""Two Celery beats started by mistake still send each reminder once.

Production runs exactly one `celery beat` (docs/deploy.md). If a second is started by
mistake – a second machine with the same Procfile, an old one not stopped – every periodic
task is queued twice as often. Nothing goes twice: the reminder sweep claims each reminder
by creating its row in the notification ledger (core.Notification, unique per kind,
recipient, occasion and channel), and only the sweep whose insert succeeds queues the e-mail.

Here two beats (each with its own schedule file) and one worker (two processes, so sweeps
from the two beats run at the same moment) share the PostgreSQL test database and a Redis
database of their own, with the reminder sweep every 2 seconds instead of every 10 minutes.
"""

import datetime
import re
from collections import Counter

import pytest
from django.utils import timezone

from carers.models import CarerProfile
from core.models import Notification
from events import services
from tests.factories import CarerProfileFactory, EventFactory
from tests.system.portal import (
    ProductionPortal,
    flushed_redis_url,
    migrated_test_database_url,
    recipients,
    wait_until,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REDIS_DB = 12  # this module's own, emptied at the start
SWEEP_SECONDS = 2
FIRINGS_EACH = 3  # sweeps each beat must have queued before we look
CARERS = 5
SENT_BY_BEAT = "Sending due task event-reminders"
SWEEP_DONE = re.compile(r"Task events\.tasks\.send_due_reminders\[[^\]]+\] succeeded in \S+: (\d+)")


@pytest.fixture
def booked_event():
    """An event in an hour with five carers booked: each one's 2-hour reminder is due now
    (the 2-day one is too late, and is recorded as not needed)."""
    event = EventFactory(
        title="Two beats workshop",
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    carers = [
        CarerProfileFactory(
            user__email=f"carer{n}@two-beats.example",
            digest_frequency=CarerProfile.DigestFrequency.NEVER,
        ).user
        for n in range(CARERS)
    ]
    bookings = [services.booking_create(event=event, user=carer) for carer in carers]
    return event, bookings


@pytest.fixture
def two_beats(tmp_path):
    portal = ProductionPortal(
        tmp_path,
        database_url=migrated_test_database_url(),
        redis_url=flushed_redis_url(REDIS_DB),
        EVENT_REMINDER_SWEEP_SECONDS=str(SWEEP_SECONDS),
    )
    try:
        portal.start_worker(concurrency=2)
        portal.start_beat("beat-1")
        portal.start_beat("beat-2")
        yield portal
    finally:
        portal.stop()
        print(portal.log_tails())  # pytest shows this only when the test fails


def _sweeps_done(portal: ProductionPortal) -> list[int]:
    """What each finished sweep returned: how many reminders it claimed."""
    log = (
        portal.logs["worker"].read_text(errors="replace") if portal.logs["worker"].exists() else ""
    )
    return [int(claimed) for claimed in SWEEP_DONE.findall(log)]


def test_two_beats_running_by_mistake_send_each_reminder_once(booked_event, two_beats):
    portal = two_beats
    event, bookings = booked_event
    people = sorted(booking.user.email for booking in bookings)

    both_fired = wait_until(
        lambda: all(
            portal.log_lines(beat, SENT_BY_BEAT) >= FIRINGS_EACH for beat in ("beat-1", "beat-2")
        ),
        timeout=30,
        interval=0.25,
    )
    fired = {beat: portal.log_lines(beat, SENT_BY_BEAT) for beat in ("beat-1", "beat-2")}
    assert both_fired, f"the beats did not both queue the sweep {FIRINGS_EACH} times: {fired}"
    # Every sweep queued so far has run, and every reminder claimed has been handed over.
    settled = wait_until(
        lambda: (
            len(_sweeps_done(portal)) >= sum(fired.values())
            and _reminder_mail(portal) == people
            and not _reminders().filter(status__in=["pending", "sending"]).exists()
        ),
        timeout=20,
        interval=0.25,
    )

    sweeps = _sweeps_done(portal)
    rows = Counter(
        (email, status) for email, status in _reminders().values_list("recipient__email", "status")
    )
    assert settled, (
        f"not settled: sweeps {sweeps}, ledger {dict(rows)}, mail {_reminder_mail(portal)}"
    )
    assert len(sweeps) >= 2 * FIRINGS_EACH
    assert sum(sweeps) == CARERS, (
        f"the {len(sweeps)} sweeps claimed {sum(sweeps)} reminders between them ({sweeps}), "
        f"not one for each of the {CARERS} bookings"
    )
    # Per booking: the 2-hour reminder sent once, the 2-day one (too late) never.
    assert rows == Counter(
        {(email, status): 1 for email in people for status in ("sent", "skipped")}
    ), dict(rows)
    assert _reminder_mail(portal) == people, "each carer should have exactly one reminder e-mail"


def _reminders():
    return Notification.objects.filter(kind=Notification.Kind.EVENT_REMINDER)


def _reminder_mail(portal: ProductionPortal) -> list[str]:
    """The recipient of every reminder e-mail written, one entry per e-mail."""
    return sorted(
        address
        for message in portal.mails()
        if str(message["Subject"]).startswith("Reminder")
        for address in recipients(message)
    )
