"""The retention schedule deletes exactly what is past its time, in batches, and writes what it
did from a Virtual School's records to that school's audit log (privacy lifecycle, part 2)."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from core.models import Notification
from portal.retention import retention_apply
from resources.models import ResourceFeedback
from schools.models import AdviceRequest, AuditEntry, KinshipPupil, LiaisonRecord
from schools.services import advice as advice_services
from tests.factories import CarerProfileFactory, ResourceFactory, UserFactory
from tests.schools.test_isolation import two_authorities  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _ledger_rows(user, count: int, *, age_days: int) -> None:
    rows = Notification.objects.bulk_create(
        Notification(kind="digest", recipient=user, key=f"old-{age_days}-{n}", status="sent")
        for n in range(count)
    )
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
        created_at=timezone.now() - age_days * DAY
    )


def test_only_rows_past_their_time_go(two_authorities, time_machine, settings):  # noqa: F811
    leeds, _ = two_authorities
    now = timezone.now()
    # Accounts: one never confirmed for 31 days, one for 29 days, one confirmed long ago.
    stale = UserFactory(email="stale@example.org", date_joined=now - 31 * DAY)
    EmailAddress.objects.filter(user=stale).update(verified=False)
    fresh = UserFactory(email="fresh@example.org", date_joined=now - 29 * DAY)
    EmailAddress.objects.filter(user=fresh).update(verified=False)
    confirmed = CarerProfileFactory(user__date_joined=now - 400 * DAY).user
    # The mail ledger: a year and a day, and a year less a day.
    _ledger_rows(confirmed, 3, age_days=366)
    _ledger_rows(confirmed, 2, age_days=364)
    # Feedback: two years and a day, and a day.
    old, new = ResourceFeedback.objects.bulk_create(
        [ResourceFeedback(resource=ResourceFactory(), useful=True) for _ in range(2)]
    )
    ResourceFeedback.objects.filter(pk=old.pk).update(created_at=now - (2 * 365 + 1) * DAY)
    # Pupils: left 6 years and a day ago and over 25; the same but under a legal hold; left
    # long ago but only 24; still here.
    pupil = leeds["pupil"]
    gone = _pupil_like(pupil, "Gone", born=now.date().replace(year=now.year - 30))
    held = _pupil_like(pupil, "Held", born=now.date().replace(year=now.year - 30), hold=True)
    young = _pupil_like(pupil, "Young", born=now.date().replace(year=now.year - 24))
    for left in (gone, held, young):
        KinshipPupil.objects.filter(pk=left.pk).update(
            left_on=now.date() - (6 * 365 + 1) * DAY, left_reason="left_education"
        )
    # A closed advice thread six years and a day old, and one closed yesterday.
    carer = CarerProfileFactory(local_authority=leeds["vs"].local_authority).user
    closed_long_ago, closed_lately = (
        advice_services.advice_request_create(carer=carer, topic="attendance", message=m)
        for m in ("Old question", "New question")
    )
    AdviceRequest.objects.filter(pk=closed_long_ago.pk).update(
        status="closed", closed_at=now - (6 * 365 + 1) * DAY
    )
    AdviceRequest.objects.filter(pk=closed_lately.pk).update(status="closed", closed_at=now - DAY)
    liaison_pupil_kept = LiaisonRecord.objects.filter(pupil=pupil).count()

    report = retention_apply(now=now, batch_size=2)

    assert set(
        User.objects.filter(email__in=["stale@example.org", "fresh@example.org"]).values_list(
            "email", flat=True
        )
    ) == {"fresh@example.org"}
    assert User.objects.filter(pk=confirmed.pk).exists()
    assert Notification.objects.filter(key__startswith="old-366").count() == 0
    assert Notification.objects.filter(key__startswith="old-364").count() == 2
    assert list(ResourceFeedback.objects.values_list("pk", flat=True)) == [new.pk]
    kept = set(KinshipPupil.objects.values_list("first_name", flat=True))
    assert "Gone" not in kept and {"Held", "Young", pupil.first_name} <= kept
    assert LiaisonRecord.objects.filter(pupil=pupil).count() == liaison_pupil_kept
    assert set(AdviceRequest.objects.filter(carer=carer).values_list("pk", flat=True)) == {
        closed_lately.pk
    }
    assert report["records of pupils who have left"] == 1
    assert report["the record of e-mails sent"] == 3
    # The Virtual School's audit log says what went from its records, and why.
    summaries = list(
        AuditEntry.objects.filter(virtual_school=leeds["vs"], actor_label="System").values_list(
            "summary", flat=True
        )
    )
    assert any("deleted 1 records of pupils who have left" in s for s in summaries)
    assert any("deleted 1 closed questions and their replies" in s for s in summaries)


def _pupil_like(pupil, first_name, *, born, hold=False):
    return KinshipPupil.objects.create(
        virtual_school=pupil.virtual_school,
        first_name=first_name,
        last_name="Example",
        date_of_birth=born,
        arrangement=pupil.arrangement,
        legal_hold=hold,
    )


def _queries_for(rows: int, batch_size: int) -> int:
    Notification.objects.all().delete()
    _ledger_rows(CarerProfileFactory().user, rows, age_days=400)
    with CaptureQueriesContext(connection) as queries:
        retention_apply(batch_size=batch_size)
    assert not Notification.objects.filter(key__startswith="old-").exists()
    return len(queries)


def test_queries_grow_with_batches_not_rows():
    two_small_batches = _queries_for(4, batch_size=2)
    two_large_batches = _queries_for(40, batch_size=20)
    four_batches = _queries_for(40, batch_size=10)
    assert two_small_batches == two_large_batches
    assert four_batches > two_large_batches


def test_an_unused_account_is_warned_then_closed_a_month_later(
    time_machine, django_capture_on_commit_callbacks
):
    carer = CarerProfileFactory(user__first_name="Glenys").user
    User.objects.filter(pk=carer.pk).update(last_login=timezone.now() - (3 * 365 - 20) * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply()
    [warning] = mail.outbox
    assert warning.to == [carer.email] and "will be deleted on" in warning.subject
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply()  # the next night: no second warning, and not deleted yet
    assert len(mail.outbox) == 1 and User.objects.filter(pk=carer.pk).exists()

    time_machine.move_to(timezone.now() + 31 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply()
    assert not User.objects.filter(pk=carer.pk).exists()
    assert mail.outbox[-1].subject == "Your Kinship Portal account has been deleted"


def test_an_unused_professional_account_is_warned_then_closed_and_attendance_stays(
    time_machine, django_capture_on_commit_callbacks
):
    from events.models import Booking
    from tests.professionals.factories import ProfessionalFactory, attended

    professional = ProfessionalFactory(user__first_name="Gwen").user
    past = attended(professional, title="Supporting kinship children at school")
    Booking.objects.filter(pk=past.pk).update(access_needs="Captions, please")
    User.objects.filter(pk=professional.pk).update(last_login=timezone.now() - (3 * 365 - 20) * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply()
    assert report["professionals' accounts unused (warned first)"] == 0  # warned, not closed
    [warning] = mail.outbox
    assert warning.to == [professional.email] and "will be deleted on" in warning.subject
    # Words about a professional's account: their training record, not children or advice.
    assert "role and organisation, and your training record" in warning.body
    assert "/training/" in warning.body
    assert "children" not in warning.body and "Virtual School" not in warning.body
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply()  # the next night: no second warning, and not closed yet
    assert len(mail.outbox) == 1 and User.objects.filter(pk=professional.pk).exists()

    time_machine.move_to(timezone.now() + 31 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply()
    assert report["professionals' accounts unused (warned first)"] == 1
    assert not User.objects.filter(pk=professional.pk).exists()
    goodbye = mail.outbox[-1]
    assert goodbye.to == [professional.email]
    assert goodbye.subject == "Your Kinship Portal account has been deleted"
    assert "your training record" in goodbye.body
    # Their attendance still counts, without them.
    past.refresh_from_db()
    assert (past.user, past.attended, past.access_needs) == (None, True, "")


def test_the_dry_run_counts_unused_professional_accounts_apart(
    time_machine, django_capture_on_commit_callbacks, capsys
):
    from tests.professionals.factories import ProfessionalFactory

    professional = ProfessionalFactory().user
    User.objects.filter(pk=professional.pk).update(last_login=timezone.now() - (3 * 365 - 20) * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply()
    time_machine.move_to(timezone.now() + 31 * DAY)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Would delete 1 – professionals' accounts unused (warned first)" in out
    assert "Would delete 0 – carers' accounts unused (warned first)" in out
    assert User.objects.filter(pk=professional.pk).exists()


def test_signing_in_again_keeps_the_account(time_machine, django_capture_on_commit_callbacks):
    carer = CarerProfileFactory().user
    User.objects.filter(pk=carer.pk).update(last_login=timezone.now() - (3 * 365 - 20) * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply()
    User.objects.filter(pk=carer.pk).update(last_login=timezone.now())  # they came back
    time_machine.move_to(timezone.now() + 31 * DAY)
    retention_apply()
    assert User.objects.filter(pk=carer.pk).exists()


def test_old_audit_entries_go_and_the_rest_stay_append_only(two_authorities, time_machine):  # noqa: F811
    leeds, _ = two_authorities
    entries = AuditEntry.objects.filter(virtual_school=leeds["vs"])
    before = AuditEntry.objects.count()  # Leeds's and Kent's, all written today
    time_machine.move_to(timezone.now() + (7 * 365 + 1) * DAY)
    recent = AuditEntry.objects.create(
        virtual_school=leeds["vs"], actor_label="Someone", action="view", summary="Recent"
    )
    report = retention_apply()
    assert report["audit log entries"] == before
    assert list(entries.exclude(actor_label="System").values_list("pk", flat=True)) == [recent.pk]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=recent.pk).delete()  # the database still refuses


def test_the_dry_run_changes_nothing(capsys):
    user = CarerProfileFactory().user
    _ledger_rows(user, 2, age_days=400)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Would delete 2 – the record of e-mails sent" in out
    assert "notifications: kept 365 days" in out
    assert Notification.objects.filter(key__startswith="old-").count() == 2


def test_the_privacy_notice_shows_the_schedule_in_force(client, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "advice_threads": 3 * 365}
    page = client.get("/privacy/").content.decode()
    assert "How long we keep it" in page
    assert "Your questions to a Virtual School and its replies, after they are closed" in page
    row = page.split("Your questions to a Virtual School and its replies")[1][:200]
    assert "3 years" in row
    assert "never before their 25th birthday" in page


def test_the_privacy_notice_says_what_is_kept_about_professionals(client, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "inactive_carers": 2 * 365}
    page = client.get("/privacy/").content.decode()
    section = page.split('id="professionals"')[1].split("Who can see it")[0]
    for kept in (
        "your role and the organisation you work for",
        "the council area you work in, if you tell us",
        "whether the organisers recorded you as there",
        "make your certificates of attendance",
        "attendance register",
    ):
        assert kept in section, kept
    # How long: the schedule in force, in the schedule's words.
    assert "If you do not sign in for 2 years, we email you" in section
    assert "/training/" in section
