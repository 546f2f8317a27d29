"""The digest: what goes in it, to whom, how often, and the one-click unsubscribe."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from carers.models import CarerProfile
from carers.notifications import unsubscribe_token
from carers.services import digests_claim_due
from core.models import Notification
from tests.factories import CarerProfileFactory, EventFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db
MONDAY = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=datetime.UTC)


def _digests():
    return [
        m
        for m in mail.outbox
        if "kinship carers" in m.subject
        and ("advice" in m.subject.lower() or "events" in m.subject.lower())
    ]


def _claim(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return digests_claim_due(**kwargs)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return MONDAY


def test_digest_lists_matching_resources_first_then_bookable_events(
    now, django_capture_on_commit_callbacks
):
    school = TopicFactory(slug="school-digest", name="School")
    carer = CarerProfileFactory(digest_frequency="weekly")
    carer.topics.set([school])
    ResourceFactory(title="General news", published_at=now - datetime.timedelta(days=1))
    ResourceFactory(
        title="School guide for you", topics=[school], published_at=now - datetime.timedelta(days=2)
    )
    ResourceFactory(title="Old guide", published_at=now - datetime.timedelta(days=30))
    EventFactory(title="Bookable workshop", starts_at=now + datetime.timedelta(days=5))

    stats = _claim(django_capture_on_commit_callbacks)
    assert stats["claimed"] == 1
    [digest] = _digests()
    assert digest.to == [carer.user.email]
    body = digest.body
    assert body.index("School guide for you") < body.index("General news")
    assert "Old guide" not in body
    assert "Bookable workshop" in body
    html = digest.alternatives[0][0]
    assert "School guide for you" in html


def test_no_digest_when_nothing_is_new(now, django_capture_on_commit_callbacks):
    CarerProfileFactory(digest_frequency="weekly")
    ResourceFactory(published_at=now - datetime.timedelta(days=40))
    stats = _claim(django_capture_on_commit_callbacks)
    assert stats == {"carers": 1, "claimed": 0, "nothing_new": 1, "batches": 1}
    assert _digests() == []


def test_only_new_since_the_last_digest(now, time_machine, django_capture_on_commit_callbacks):
    CarerProfileFactory(digest_frequency="weekly")
    ResourceFactory(title="Last week's guide", published_at=now - datetime.timedelta(days=1))
    _claim(django_capture_on_commit_callbacks)
    assert len(_digests()) == 1
    assert _claim(django_capture_on_commit_callbacks)["claimed"] == 0  # same week: once only
    mail.outbox.clear()
    time_machine.move_to(now + datetime.timedelta(days=7), tick=False)
    assert _claim(django_capture_on_commit_callbacks)["claimed"] == 0  # nothing new since
    ResourceFactory(
        title="This week's guide", published_at=timezone.now() - datetime.timedelta(hours=1)
    )
    _claim(django_capture_on_commit_callbacks)
    [digest] = _digests()
    assert "This week's guide" in digest.body and "Last week's guide" not in digest.body


def test_frequency_preferences(now, time_machine, django_capture_on_commit_callbacks):
    weekly = CarerProfileFactory(digest_frequency="weekly")
    monthly = CarerProfileFactory(digest_frequency="monthly")
    CarerProfileFactory(digest_frequency="never")
    ResourceFactory(published_at=now - datetime.timedelta(hours=2))
    _claim(django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in _digests()) == sorted([weekly.user.email, monthly.user.email])
    mail.outbox.clear()
    time_machine.move_to(now + datetime.timedelta(days=7), tick=False)
    ResourceFactory(published_at=timezone.now() - datetime.timedelta(hours=2))
    _claim(django_capture_on_commit_callbacks)
    assert [m.to[0] for m in _digests()] == [weekly.user.email]  # monthly already had November's


def test_local_resources_only_go_to_that_area(now, django_capture_on_commit_callbacks):
    from tests.factories import local_authority

    leeds = CarerProfileFactory(digest_frequency="weekly")
    kent = CarerProfileFactory(
        digest_frequency="weekly", local_authority=local_authority("E10000016")
    )
    ResourceFactory(
        title="Leeds group",
        local_authority=local_authority("E08000035"),
        published_at=now - datetime.timedelta(hours=3),
    )
    _claim(django_capture_on_commit_callbacks)
    assert [m.to[0] for m in _digests()] == [leeds.user.email]
    assert kent.user.email not in [m.to[0] for m in mail.outbox]


def test_staff_only_resources_are_never_sent_to_carers(now, django_capture_on_commit_callbacks):
    from resources.models import Resource

    school = TopicFactory(slug="school-staff-only", name="School")
    carer = CarerProfileFactory(digest_frequency="weekly")
    carer.topics.set([school])
    ResourceFactory(
        title="Staff notes on school", topics=[school], staff_only=True, published_at=now
    )
    ResourceFactory(title="Guide for carers", published_at=now - datetime.timedelta(hours=1))
    later = ResourceFactory(
        title="Made staff only later", published_at=now - datetime.timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert digests_claim_due()["claimed"] == 1
    # Made staff-only between planning the digest and sending it: left out all the same.
    Resource.objects.filter(pk=later.pk).update(staff_only=True)
    for callback in callbacks:
        callback()
    [digest] = _digests()
    assert "Guide for carers" in digest.body
    assert "Staff notes on school" not in digest.body
    assert "Made staff only later" not in digest.body
    assert "Staff notes" not in digest.alternatives[0][0]


def test_unsubscribe_headers_and_one_click_post(client, now, django_capture_on_commit_callbacks):
    carer = CarerProfileFactory(digest_frequency="weekly")
    ResourceFactory(published_at=now - datetime.timedelta(hours=1))
    _claim(django_capture_on_commit_callbacks)
    [digest] = _digests()
    link = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in digest.body
    path = link.replace("http://testserver", "")

    client.get(path)  # looking does not unsubscribe
    carer.refresh_from_db()
    assert carer.digest_frequency == "weekly"

    csrf_client = client.__class__(
        enforce_csrf_checks=True
    )  # a mail app: no session, no CSRF token
    response = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    carer.refresh_from_db()
    assert carer.digest_frequency == CarerProfile.DigestFrequency.NEVER
    assert "You have unsubscribed" in client.get(path).content.decode()


def test_unsubscribe_token_is_tamper_proof(client):
    carer = CarerProfileFactory(digest_frequency="weekly")
    victim = CarerProfileFactory(digest_frequency="weekly")
    import base64
    import json

    token = unsubscribe_token(carer.user)
    payload = base64.urlsafe_b64encode(
        json.dumps({"user": victim.user.pk}, separators=(",", ":")).encode()
    )
    forged = (
        payload.decode().rstrip("=") + token[token.index(":") :]
    )  # the victim's id, the carer's signature
    assert forged != token
    for bad in (forged, token[:-3] + "abc", "nonsense"):
        assert client.post(reverse("carers:unsubscribe", args=[bad])).status_code == 404
    victim.refresh_from_db()
    carer.refresh_from_db()
    assert victim.digest_frequency == carer.digest_frequency == "weekly"


def test_digest_built_in_batches_costs_queries_per_batch_not_per_carer(
    now, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic = TopicFactory(slug="batch-topic")
    ResourceFactory(topics=[topic], published_at=now - datetime.timedelta(hours=1))
    EventFactory(starts_at=now + datetime.timedelta(days=3))

    def queries_for(carers: int) -> int:
        Notification.objects.all().delete()
        CarerProfile.objects.all().delete()
        for _ in range(carers):
            CarerProfileFactory(digest_frequency="weekly").topics.set([topic])
        with CaptureQueriesContext(connection) as ctx:
            stats = digests_claim_due(batch_size=10)  # on_commit callbacks are not run here
        assert stats["claimed"] == carers
        return len(ctx.captured_queries), stats["batches"]

    small, small_batches = queries_for(10)
    large, large_batches = queries_for(30)
    assert (small_batches, large_batches) == (1, 3)
    per_batch = (large - small) / (large_batches - small_batches)
    assert (
        large == small + per_batch * 2
    )  # 20 more carers cost two batches' queries, nothing per carer
    assert per_batch < 12
