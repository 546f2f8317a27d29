"""Two officers saving the same thing at the same moment: the same termly review, the same
school URN, the same pupil (by name and date of birth, or by UPN). Exactly one is saved; the
other gets the message anyone adding it twice would get, beside the field, never an error
page.

Each race is real: two threads, each with its own PostgreSQL connection, released together
(tests/concurrency.py). Left alone, one thread usually finishes before the other starts its
check, and the friendly check in schools.services.records refuses the second. The races
here hold every save of the model until both threads are saving
(tests/concurrency.saves_held_together), so both have passed the friendly check and
neither has inserted: the database's unique constraint must decide, and _save_unique must
turn its IntegrityError into the message. review_save also locks the pupil's row before
its check; the review races lift that lock to reach the constraint, and one runs with it.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.choices import academic_year_start
from schools.models import AuditEntry, KinshipPupil, School, TermlyReview
from schools.services import SchoolError
from schools.services import records as record_services
from tests.concurrency import run_together, saves_held_together
from tests.conftest import give_mfa
from tests.factories import StaffMembershipFactory
from tests.schools.test_records import (
    error_beside,
    make_pupil,
    page_text,
    pupil_post,
    review_post,
    upn_for,
)


def race(test):
    """A race needs PostgreSQL and real transactions; serialized_rollback keeps the local
    authorities that a data migration loads (a UPN's authority is checked against them)."""
    test = pytest.mark.usefixtures("audit_log_emptied_before_flush")(test)
    test = pytest.mark.django_db(transaction=True, serialized_rollback=True)(test)
    return pytest.mark.postgres(test)


DUPLICATE_PUPIL = "A pupil with this name and date of birth, or this UPN, is already recorded"
DUPLICATE_REVIEW = "There is already a review for this term. Change that review instead."
DUPLICATE_URN = "A school with this URN is already on your list"
BORN = datetime.date(2015, 3, 27)
BORN_LATER = datetime.date(2016, 1, 2)
LEEDS_UPN = upn_for("383")


# Helpers ------------------------------------------------------------------------------------


def race_services(model: type[Model], save: Callable[[int], object]) -> tuple[list, list]:
    """save(0) and save(1) at once, both held after the duplicate check. Returns what was
    saved and the errors raised."""
    saved = []
    with saves_held_together(model) as arrived:
        errors = run_together(lambda n: saved.append(save(n)), [0, 1])
    assert len(arrived) == 2, f"only {arrived} passed the duplicate check: not a race"
    return saved, errors


def officers(virtual_school, count: int = 2) -> list[Client]:
    """Officers of the same Virtual School, each signed in (with their authenticator app) in a
    browser of their own."""
    clients = []
    for _ in range(count):
        user = StaffMembershipFactory(virtual_school=virtual_school).user
        give_mfa(user)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def race_views(model: type[Model] | None, url: str, posts: list[dict], virtual_school) -> list:
    """Two officers press Save on `url` at once, one with each of `posts`; with `model`, both
    are held after the duplicate check. Returns the two responses, the saved one first.

    An error page fails the test: the test client raises what the view raised (and may raise
    it in both threads, as its exception signal is process-wide), and run_together reports it."""
    responses = []

    def press(item):
        client, data = item
        responses.append(client.post(url, data))

    items = list(zip(officers(virtual_school, len(posts)), posts, strict=True))
    if model is None:
        errors = run_together(press, items)
    else:
        with saves_held_together(model) as arrived:
            errors = run_together(press, items)
        assert len(arrived) == 2, f"only {arrived} passed the duplicate check: not a race"
    assert errors == [], f"a request failed instead of showing a message: {errors!r}"
    return sorted(responses, key=lambda response: response.status_code != 302)


def assert_one_saved_one_told(responses, field: str, message: str) -> None:
    saved, refused = responses
    assert [saved.status_code, refused.status_code] == [302, 200]
    assert error_beside(refused, field) == message
    assert "There is a problem" in page_text(refused)  # the form again, with its summary


def current_academic_year() -> int:
    """A year the review form offers, whatever the date the tests run."""
    return academic_year_start(timezone.localdate())


# The same pupil added twice, one after the other: the message the races must match ---------


@pytest.mark.django_db
def test_the_same_pupil_added_twice_through_the_form_is_refused_beside_the_first_name(officer):
    """Through the form both times: the same name (in other capitals, with spaces) and date of
    birth, or the same UPN under another name; and a change that would make one pupil the
    same as another. Each time nothing is saved or changed, and the audit log says nothing."""
    client = Client()
    client.force_login(officer)
    add = reverse("schools:pupil_add")
    upn = LEEDS_UPN
    assert client.post(add, pupil_post(upn=upn)).status_code == 302

    again = client.post(add, pupil_post(first_name=" AMARA ", last_name="okafor"))
    same_upn = client.post(add, pupil_post(first_name="Bola", upn=upn))

    for response in (again, same_upn):
        assert response.status_code == 200
        assert error_beside(response, "first_name") == DUPLICATE_PUPIL
    assert KinshipPupil.objects.count() == 1

    other = client.post(add, pupil_post(first_name="Bola"))
    bola = KinshipPupil.objects.get(first_name="Bola")
    assert other["Location"] == reverse("schools:pupil_detail", args=[bola.pk])
    edit = reverse("schools:pupil_edit", args=[bola.pk])
    for change in ({"first_name": "Amara"}, {"upn": upn.lower()}):
        response = client.post(edit, pupil_post(first_name="Bola") | change)
        assert error_beside(response, "first_name") == DUPLICATE_PUPIL
    bola.refresh_from_db()
    assert (bola.first_name, bola.upn) == ("Bola", "")
    assert AuditEntry.objects.filter(action="update").count() == 0
    assert AuditEntry.objects.filter(action="create").count() == 2


# Through the services -----------------------------------------------------------------------


@race
def test_two_reviews_of_one_term_saved_at_once_one_saved_the_other_told(monkeypatch):
    """review_save takes the pupil's row lock before its check, so in the portal the second
    save waits and its check sees the first review. This race lifts that lock to reach the
    second line behind it, which holds for any writer the lock misses: the constraint
    review_once_per_term, its clash given as the message."""
    member = StaffMembershipFactory()
    pupil = make_pupil(member.virtual_school)
    monkeypatch.setattr(record_services, "_lock_reviews_of", lambda pupil: None)

    def save(n):
        return record_services.review_save(
            pupil=KinshipPupil.objects.get(pk=pupil.pk),
            actor=member.user,
            academic_year=2025,
            term="spring",
            attendance_percent=Decimal(90 + n),
        )

    saved, errors = race_services(TermlyReview, save)

    assert len(saved) == 1
    assert [(type(e), str(e)) for e in errors] == [(SchoolError, DUPLICATE_REVIEW)]
    [review] = TermlyReview.objects.filter(pupil=pupil)
    assert review.pk == saved[0].pk
    pupil.refresh_from_db()
    assert pupil.latest_review_id == review.pk  # the winner's review is the latest
    assert AuditEntry.objects.filter(action="create", summary__contains="review").count() == 1


@race
def test_two_schools_with_one_urn_saved_at_once_one_saved_the_other_told():
    """The constraint school_urn_once_per_virtual_school decides; the loser gets the message."""
    member = StaffMembershipFactory()
    vs = member.virtual_school

    def save(n):
        return record_services.school_save(
            virtual_school=vs,
            actor=member.user,
            name=f"Oak {n}",
            urn="107654",
            phase="primary",
            local_authority=vs.local_authority,
        )

    saved, errors = race_services(School, save)

    assert len(saved) == 1
    assert [(type(e), str(e)) for e in errors] == [(SchoolError, DUPLICATE_URN)]
    assert list(School.objects.filter(virtual_school=vs).values_list("pk", "urn")) == [
        (saved[0].pk, "107654")
    ]
    assert AuditEntry.objects.filter(action="create", summary__startswith="Added Oak").count() == 1


def _pupil_create(vs, actor, **fields):
    values = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "date_of_birth": BORN,
        "upn": "",
        "arrangement": "sgo",
        "send_status": "none",
    } | fields
    return record_services.pupil_create(virtual_school=vs, actor=actor, **values)


@race
@pytest.mark.parametrize(
    "people",
    [
        pytest.param([{}, {"first_name": "AMARA", "last_name": "okafor"}], id="name-and-birth"),
        pytest.param(
            [
                {"upn": LEEDS_UPN},
                {"first_name": "Bo", "date_of_birth": BORN_LATER, "upn": LEEDS_UPN},
            ],
            id="upn",
        ),
    ],
)
def test_the_same_pupil_added_twice_at_once_one_saved_the_other_told(people):
    """The same name (in any capitals) and date of birth, or another child with the same UPN:
    the constraints pupil_name_and_birth_once_per_virtual_school and
    pupil_upn_once_per_virtual_school decide; the loser gets the message."""
    member = StaffMembershipFactory()
    vs = member.virtual_school

    saved, errors = race_services(
        KinshipPupil, lambda n: _pupil_create(vs, member.user, **people[n])
    )

    assert len(saved) == 1
    assert [(type(e), str(e)) for e in errors] == [(SchoolError, DUPLICATE_PUPIL)]
    assert list(KinshipPupil.objects.values_list("pk", flat=True)) == [saved[0].pk]
    assert AuditEntry.objects.filter(action="create").count() == 1


@race
def test_two_pupils_changed_to_one_upn_at_once_one_changed_the_other_told():
    """Two officers each give a different pupil the same UPN at the same moment (pupil_update):
    one change is saved, the other pupil keeps their record as it was."""
    member = StaffMembershipFactory()
    vs = member.virtual_school
    pupils = [_pupil_create(vs, member.user), _pupil_create(vs, member.user, first_name="Bo")]

    saved, errors = race_services(
        KinshipPupil,
        lambda n: record_services.pupil_update(
            pupil=KinshipPupil.objects.get(pk=pupils[n].pk), actor=member.user, upn=LEEDS_UPN
        ),
    )

    assert len(saved) == 1
    assert [(type(e), str(e)) for e in errors] == [(SchoolError, DUPLICATE_PUPIL)]
    upns = dict(KinshipPupil.objects.values_list("pk", "upn"))
    assert upns == {p.pk: LEEDS_UPN if p.pk == saved[0].pk else "" for p in pupils}
    assert AuditEntry.objects.filter(action="update").count() == 1


# Through the officers' forms ----------------------------------------------------------------


@race
def test_two_officers_adding_one_review_at_once_see_it_saved_or_the_message(monkeypatch):
    """With the pupil's lock lifted, as above: the second officer's page says the review is
    there already, beside the term, and keeps what they typed."""
    vs = StaffMembershipFactory().virtual_school
    pupil = make_pupil(vs)
    monkeypatch.setattr(record_services, "_lock_reviews_of", lambda pupil: None)
    year = str(current_academic_year())
    posts = [review_post(academic_year=year, attendance_percent=p) for p in ("91", "92")]

    responses = race_views(TermlyReview, reverse("schools:review_add", args=[pupil.pk]), posts, vs)

    assert_one_saved_one_told(responses, "term", DUPLICATE_REVIEW)
    [review] = TermlyReview.objects.filter(pupil=pupil)
    typed = "92" if review.attendance_percent == 91 else "91"
    assert f'value="{typed}"' in responses[1].content.decode()


@race
def test_two_officers_adding_one_review_at_once_with_the_lock_see_it_saved_or_the_message():
    """As the portal runs, nothing held or lifted: the pupil's lock makes the second save
    wait, and the second officer gets the same message, not an error page."""
    vs = StaffMembershipFactory().virtual_school
    pupil = make_pupil(vs)
    year = str(current_academic_year())
    posts = [review_post(academic_year=year, attendance_percent=p) for p in ("91", "92")]

    responses = race_views(None, reverse("schools:review_add", args=[pupil.pk]), posts, vs)

    assert_one_saved_one_told(responses, "term", DUPLICATE_REVIEW)
    assert TermlyReview.objects.filter(pupil=pupil).count() == 1


@race
def test_two_officers_adding_one_urn_at_once_see_it_saved_or_the_message():
    vs = StaffMembershipFactory().virtual_school
    post = {
        "urn": "107654",
        "phase": "primary",
        "local_authority": vs.local_authority_id,
    }
    posts = [post | {"name": "Oak Primary"}, post | {"name": "Oak Academy"}]

    responses = race_views(School, reverse("schools:school_add"), posts, vs)

    assert_one_saved_one_told(responses, "urn", DUPLICATE_URN)
    assert School.objects.filter(virtual_school=vs, urn="107654").count() == 1


@race
@pytest.mark.parametrize(
    "second",
    [
        pytest.param({"first_name": "amara", "last_name": "OKAFOR"}, id="name-and-birth"),
        pytest.param(
            {"first_name": "Bo", "date_of_birth_year": "2016", "upn": LEEDS_UPN}, id="upn"
        ),
    ],
)
def test_two_officers_adding_one_pupil_at_once_see_it_saved_or_the_message(second):
    vs = StaffMembershipFactory().virtual_school
    posts = [pupil_post(upn=second.get("upn", "")), pupil_post(**second)]

    responses = race_views(KinshipPupil, reverse("schools:pupil_add"), posts, vs)

    assert_one_saved_one_told(responses, "first_name", DUPLICATE_PUPIL)
    assert KinshipPupil.objects.count() == 1
    assert AuditEntry.objects.filter(action="create").count() == 1
