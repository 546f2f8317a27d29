"""Closing a carer's account: the person goes, what others rely on stays without them (privacy
lifecycle, part 1). Runs on SQLite and on PostgreSQL."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Session, User
from carers import services as carer_services
from events import services as event_services
from events.models import Booking
from schools.models import AdviceRequest, AuditEntry, KinshipPupil
from schools.services import advice as advice_services
from schools.services import records as record_services
from tests.conftest import give_mfa
from tests.factories import PASSWORD, CarerProfileFactory, EventFactory, UserFactory
from tests.schools.test_isolation import two_authorities  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _delete_through_the_page(client, user):
    client.force_login(user)
    response = client.post(reverse("carers:delete"), {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert not User.objects.filter(pk=user.pk).exists()


def test_her_place_on_a_full_event_goes_to_the_first_person_waiting(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Talking to school", capacity=1)
    leaving = CarerProfileFactory(user__first_name="Rhian").user
    first, second = CarerProfileFactory().user, CarerProfileFactory().user
    event_services.booking_create(event=event, user=leaving)
    event_services.booking_create(event=event, user=first)
    event_services.booking_create(event=event, user=second)
    address = leaving.email
    mail.outbox.clear()

    client.force_login(leaving)
    page = client.get(reverse("carers:delete")).content.decode()
    assert "Talking to school" in page and "give it to the next person waiting" in page
    with django_capture_on_commit_callbacks(execute=True):
        _delete_through_the_page(client, leaving)

    assert Booking.objects.get(user=first).status == "confirmed"
    assert Booking.objects.get(user=second).status == "waitlisted"
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert "Talking to school" in by_recipient[(first.email,)].subject
    goodbye = by_recipient[(address,)]
    assert goodbye.subject == "Your Kinship Portal account has been deleted"
    assert "your place at Talking to school" in goodbye.body
    assert (second.email,) not in by_recipient
    # The cancelled place stays for the organiser, without a name or access needs.
    kept = Booking.objects.get(event=event, user__isnull=True)
    assert kept.status == "cancelled" and kept.access_needs == ""


def test_past_bookings_stay_anonymous_so_attendance_still_counts(client, time_machine):
    event = EventFactory(title="Past workshop")
    carer = CarerProfileFactory().user
    event_services.booking_create(event=event, user=carer, access_needs="Step-free access")
    time_machine.move_to(event.ends_at + datetime.timedelta(days=1))
    _delete_through_the_page(client, carer)
    [kept] = Booking.objects.filter(event=event)
    assert (kept.user, kept.status, kept.places, kept.access_needs) == (None, "confirmed", 1, "")


def test_her_questions_stay_with_the_virtual_school_without_her(
    client,
    two_authorities,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    leeds, _ = two_authorities
    profile = CarerProfileFactory(
        local_authority=leeds["vs"].local_authority,
        user__first_name="Bronwen",
        user__last_name="Teague",
    )
    child = carer_services.child_create(
        profile=profile,
        first_name="Ifan",
        year_of_birth=2016,
        school_year="",
        share_with_virtual_school=True,
    )
    record_services.pupil_link_child(pupil=leeds["pupil"], child=child, actor=leeds["officer"])
    advice = advice_services.advice_request_create(
        carer=profile.user, topic="attendance", message="Ifan keeps missing Mondays."
    )
    answered = advice_services.advice_request_create(
        carer=profile.user, topic="send", message="What is an EHC plan?"
    )
    advice_services.advice_reply(request=answered, author=leeds["officer"], body="Here is how.")

    with django_capture_on_commit_callbacks(execute=True):
        _delete_through_the_page(client, profile.user)

    advice.refresh_from_db()
    assert advice.carer is None and advice.status == AdviceRequest.Status.CLOSED
    assert advice.messages.filter(is_note=True).exists()
    answered.refresh_from_db()  # answered but not closed: closed too, the reply kept
    assert answered.carer is None and answered.status == AdviceRequest.Status.CLOSED
    assert [m.from_staff for m in answered.messages.all()] == [False, True, False]

    client.force_login(leeds["officer"])
    inbox = client.get(reverse("schools:advice_inbox") + "?status=closed").content.decode()
    assert "A carer who has since closed their account" in inbox
    page = client.get(reverse("schools:advice_detail", args=[advice.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ifan keeps missing Mondays." in html
    assert "The carer closed their account on" in html
    assert "Bronwen" not in html and "Teague" not in html
    # The child's record was unlinked from the pupil record, and the audit log says so.
    assert KinshipPupil.objects.get(pk=leeds["pupil"].pk).child is None
    entry = AuditEntry.objects.get(action="unlink", object_id=leeds["pupil"].pk)
    assert "Carer closed their account" in entry.summary and entry.actor is None


def _others_signed_in(count: int) -> None:
    start = User.objects.filter(email__startswith="someone").count()
    users = User.objects.bulk_create(
        [User(email=f"someone{start + n}@example.org") for n in range(count)]
    )
    expire = timezone.now() + datetime.timedelta(days=1)
    Session.objects.bulk_create(
        Session(session_key=f"other{user.pk:08d}x", session_data="", expire_date=expire, user=user)
        for user in users
    )


def _queries_to_delete_a_carer() -> list[str]:
    carer = CarerProfileFactory().user
    store = Session.get_session_store_class()()
    store["_auth_user_id"] = str(carer.pk)
    store.create()  # she is signed in on one device
    with CaptureQueriesContext(connection) as queries:
        carer_services.carer_delete(user=carer)
    assert not Session.objects.filter(session_key=store.session_key).exists()
    return [query["sql"] for query in queries]


def test_deleting_reads_only_her_sessions_however_many_others_are_signed_in():
    _others_signed_in(10)
    with_10 = _queries_to_delete_a_carer()
    _others_signed_in(990)
    with_1000 = _queries_to_delete_a_carer()
    assert len(with_10) == len(with_1000)  # nothing grows with other people's sessions
    for sql in with_1000:
        if "accounts_session" in sql:
            assert "user_id" in sql, sql  # found through her own account, never a scan
    assert Session.objects.count() == 1000  # everyone else is still signed in


def test_staff_cannot_close_their_account_here(client):
    staff = UserFactory(is_staff=True)
    give_mfa(staff)
    client.force_login(staff)
    response = client.post(reverse("carers:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.filter(pk=staff.pk).exists()


def test_a_closed_staff_account_still_shows_who_replied(client, two_authorities):  # noqa: F811
    leeds, _ = two_authorities
    carer = CarerProfileFactory(local_authority=leeds["vs"].local_authority).user
    advice = advice_services.advice_request_create(
        carer=carer, topic="attendance", message="Who can help?"
    )
    leaver = leeds["officer"]
    leaver.first_name, leaver.last_name = "Owain", "Price"
    leaver.save()
    advice_services.advice_reply(request=advice, author=leaver, body="I can.")
    leaver.delete()  # an operator closes the account of a member of staff who left

    client.force_login(leeds["head"])
    page = client.get(reverse("schools:advice_detail", args=[advice.pk])).content.decode()
    assert "Owain Price, " in page and "I can." in page


def test_a_welsh_speaker_closed_by_the_schedule_gets_her_goodbye_in_welsh(
    django_capture_on_commit_callbacks,
):
    carer = CarerProfileFactory(user__language="cy", user__first_name="Eirlys").user
    with django_capture_on_commit_callbacks(execute=True):
        carer_services.carer_delete(user=carer)  # no request: English is active, as at night
    (goodbye,) = [message for message in mail.outbox if message.to == [carer.email]]
    assert goodbye.subject.startswith("Mae eich cyfrif")
    assert "Eirlys" in goodbye.body
