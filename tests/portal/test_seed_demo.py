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
