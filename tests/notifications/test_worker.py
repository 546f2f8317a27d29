"""A real Celery worker on the real Redis broker sends a booking's confirmation."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from core.models import Notification
from events import services
from kinship_portal.celery import app
from tests.conftest import forget_celery_connections
from tests.factories import CarerProfileFactory, EventFactory

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def _running_worker(tmp_path, **environ):
    """A worker process on a Redis database of its own, writing mail to files (or with
    `environ`, sending it wherever that says)."""
    broker = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/14"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kinship_portal.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker,
        "EMAIL_BACKEND": "core.mail.MailFileBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SITE_URL": "http://testserver",
        **environ,
    }
    env.pop("EMAIL_URL", None)
    if "NOTIFY_API_KEY" in environ:  # e-mail through Notify, as a council would set it up
        env.pop("EMAIL_BACKEND")
    subprocess.run(  # nothing left over from an earlier run
        [sys.executable, "-m", "celery", "-A", "kinship_portal", "purge", "-f"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        check=False,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kinship_portal",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    old = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    app.conf.broker_transport = None  # the URL says which broker
    forget_celery_connections()  # publish to this broker, not through a pool made for another
    try:
        yield mail_dir
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport = old
        forget_celery_connections()
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output.decode(errors="replace")[-3000:])  # shown when the test fails


@pytest.fixture
def worker(tmp_path):
    with _running_worker(tmp_path) as mail_dir:
        yield mail_dir


@pytest.fixture
def notify_worker(tmp_path, fake_notify):
    """A worker that sends through the fake GOV.UK Notify in this process."""
    with _running_worker(tmp_path, **fake_notify.environ()):
        yield fake_notify


def _wait_for(predicate, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.25)
    return None


def test_booking_confirmation_is_sent_by_a_real_worker(worker):
    event = EventFactory(title="Worker workshop")
    carer = CarerProfileFactory().user
    booking = services.booking_create(event=event, user=carer)  # autocommit: the task is queued now

    def mail_files():
        return list(worker.glob("*.log")) if worker.exists() else []

    files = _wait_for(mail_files)
    assert files, "no mail arrived from the worker"
    text = files[0].read_text()
    assert f"To: {carer.email}" in text
    assert "Your place is booked: Worker workshop" in text
    assert "text/calendar" in text  # the .ics attachment
    notification = Notification.objects.get(kind="booking_confirmed", recipient=carer)
    assert _wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, status="sent").exists()
    )
    assert notification.key == f"booking:{booking.pk}"


def test_a_real_worker_sends_through_notify_once(notify_worker):
    event = EventFactory(title="Notify workshop")
    carer = CarerProfileFactory().user
    services.booking_create(event=event, user=carer)

    sent = _wait_for(lambda: notify_worker.emails)
    assert sent, "nothing reached Notify from the worker"
    [email] = sent
    assert email["email_address"] == carer.email
    assert email["personalisation"]["subject"] == "Your place is booked: Notify workshop"
    notification = Notification.objects.get(kind="booking_confirmed", recipient=carer)
    assert email["reference"] == f"notification-{notification.pk}"
    assert _wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, status="sent").exists()
    )
    time.sleep(1)  # nothing more arrives
    assert len(notify_worker.emails) == 1 and notify_worker.texts == []


def test_a_real_worker_sends_a_carers_text_and_email_through_notify_once(notify_worker):
    from django.utils import timezone

    event = EventFactory(title="Notify coffee morning")
    profile = CarerProfileFactory(
        mobile_number="+447700900982",
        mobile_verified_at=timezone.now(),
        text_consent_statement="I agree to get text messages.",
        text_consent_at=timezone.now(),
        text_channels={"booking_confirmed": "both"},
    )
    carer = profile.user
    services.booking_create(event=event, user=carer)

    assert _wait_for(lambda: notify_worker.texts and notify_worker.emails)
    assert _wait_for(
        lambda: Notification.objects.filter(recipient=carer, status="sent").count() == 2
    )
    time.sleep(1)  # nothing more arrives
    [text] = notify_worker.texts
    assert text["phone_number"] == "+447700900982"
    assert "Notify coffee morning" in text["personalisation"]["body"]
    assert len(notify_worker.emails) == 1
    sms = Notification.objects.get(recipient=carer, channel="sms")
    assert text["reference"] == f"notification-{sms.pk}" and sms.fragments == 1
