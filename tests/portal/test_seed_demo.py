from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User
from carers.models import CarerProfile, Child
from schools.models import StaffMembership, VirtualSchool

pytestmark = pytest.mark.django_db


def _counts():
    return (
        User.objects.count(),
        CarerProfile.objects.count(),
        Child.objects.count(),
        VirtualSchool.objects.count(),
        StaffMembership.objects.count(),
    )


def test_seed_demo_is_idempotent_and_scales():
    call_command("seed_demo", demo_site=True, verbosity=0)
    first = _counts()
    assert first[1] >= 3 and first[2] >= 4 and first[3] >= 2 and first[4] >= 4
    call_command("seed_demo", demo_site=True, verbosity=0)
    assert _counts() == first
    call_command("seed_demo", scale=1, demo_site=True, verbosity=0)
    assert CarerProfile.objects.count() == first[1] + 100
    call_command("seed_demo", scale=1, demo_site=True, verbosity=0)
    assert CarerProfile.objects.count() == first[1] + 100
    assert User.objects.get(email="margaret@example.com").carer_profile.children.count() == 2


def test_a_first_run_shows_a_series_a_course_and_training_for_professionals(client, capsys):
    from events.models import Booking, Event, EventSeries

    call_command("seed_demo", demo_site=True)
    out = capsys.readouterr().out
    assert "teacher@roundhay.example" in out  # its sign-in, with the demo password
    # A monthly series of 4 published dates, each its own event, with Chloe on every one.
    [series] = EventSeries.objects.filter(frequency="monthly")
    dates = list(series.dates.order_by("starts_at"))
    assert len(dates) == 4 and {d.status for d in dates} == {"published"}
    assert {d.starts_at.weekday() for d in dates} == {dates[0].starts_at.weekday()}
    chloe = User.objects.get(email="chloe@example.com")
    assert Booking.objects.filter(user=chloe, event__series=series).count() == 4
    # A weekly course of 4 sessions, booked as one.
    course = Event.objects.get(slug="therapeutic-parenting-course")
    sessions = list(course.sessions.order_by("starts_at"))
    assert len(sessions) == 4
    assert sessions[1].starts_at.date() - sessions[0].starts_at.date() == timedelta(days=7)
    # A briefing for professionals, online with a join link, and the designated teacher on it.
    briefing = Event.objects.get(slug="designated-teachers-briefing")
    assert briefing.for_professionals and not briefing.for_carers and briefing.join_url
    teacher = User.objects.get(email="teacher@roundhay.example")
    assert teacher.is_professional and teacher.professional_profile.organisation == (
        "Roundhay School"
    )
    assert Booking.objects.get(user=teacher, event=briefing).status == "confirmed"
    client.force_login(teacher)
    training = client.get("/training/").content.decode()
    assert "Designated teachers&#x27; briefing" in training
    # Run again: nothing twice.
    call_command("seed_demo", demo_site=True, verbosity=0)
    assert EventSeries.objects.filter(frequency="monthly").count() == 1
    assert series.dates.count() == 4 and course.sessions.count() == 4


@override_settings(DEBUG=False)
def test_seed_demo_refuses_a_production_database_without_being_told_it_is_a_demo_site():
    before = _counts()
    with pytest.raises(CommandError, match="runs only with DEBUG=True"):
        call_command("seed_demo", verbosity=0)
    assert _counts() == before  # no demo accounts with the published password
    assert not User.objects.filter(email="admin@example.com").exists()


def test_the_demo_shows_welsh_content_and_says_when_there_is_none(client):
    """A first run in Welsh: two guides and an event are written in Welsh; the others show
    their English with the notice."""
    call_command("seed_demo", demo_site=True, verbosity=0)
    welsh = client.get("/cy/resources/special-guardianship-explained/").content.decode()
    assert "Esbonio gorchmynion gwarcheidiaeth arbennig" in welsh
    assert "cyfrifoldeb rhiant" in welsh and "parental responsibility" not in welsh
    english = client.get("/cy/resources/pupil-premium-plus/").content.decode()
    assert "Nid yw&#x27;r dudalen hon ar gael yn Gymraeg eto." in english or (
        "Nid yw'r dudalen hon ar gael yn Gymraeg eto." in english
    )
    events = client.get("/cy/events/").content.decode()
    assert "Noson cymorth gan gymheiriaid" in events


def test_the_demo_has_full_local_offers_for_leeds_and_kent_and_a_few_groups(client):
    from localoffer.models import LocalOffer, SectionKind, SupportGroup

    call_command("seed_demo", demo_site=True, verbosity=0)
    offers = {
        o.local_authority.name: o for o in LocalOffer.objects.select_related("local_authority")
    }
    assert set(offers) == {"Leeds", "Kent"}  # every other council has none yet: the gap shows
    for offer in offers.values():
        assert offer.is_published
        assert [s.kind for s in offer.sections.all()] == SectionKind.values
    assert offers["Kent"].review_overdue and not offers["Leeds"].review_overdue

    leeds = client.get("/local-offer/leeds/").content.decode()
    assert "Financial support" in leeds and "0113 496 0412" in leeds
    assert "Leeds kinship carers&#x27; coffee morning" in leeds
    assert "Second Tuesday of each month, 10am to midday" in leeds
    kent = client.get("/local-offer/kent/").content.decode()
    assert "This local offer is overdue for review." in kent

    groups = client.get("/local-offer/groups/", {"format": "online", "theme": "grandparents"})
    assert "Grandparents online: evening catch-up" in groups.content.decode()
    assert SupportGroup.objects.filter(themes__contains=",male_carers,").exists()
    online = SupportGroup.objects.get(name="Grandparents online: evening catch-up")
    assert online.local_authority is None
    assert list(online.events.values_list("slug", flat=True)) == ["peer-support-evening"]

    # Each council has a local offer editor to try the editors' pages with.
    from schools.models import StaffMembership

    editors = StaffMembership.objects.filter(edits_local_offer=True)
    assert set(editors.values_list("user__email", flat=True)) == {
        "officer@leeds.example",
        "head@kent.example",
    }

    # Run again: nothing twice.
    call_command("seed_demo", demo_site=True, verbosity=0)
    assert LocalOffer.objects.count() == 2
    assert SupportGroup.objects.count() == 6
