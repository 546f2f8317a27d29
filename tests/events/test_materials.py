"""Recordings and materials after an event (issue 17): curators attach them once checked;
people who booked see theirs on the event page and their dashboard; everyone sees the public
ones; a public one can be put in the resource library."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from events import services
from events.models import Booking, EventMaterial
from resources.models import Resource
from tests.factories import CarerProfileFactory, EventFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

PUBLIC = "https://video.example.org/everyone"
BOOKED_ONLY = "https://video.example.org/people-who-booked"
NOT_READY = "https://files.example.org/not-checked-yet"


@pytest.fixture
def event(carer):
    """A one-place workshop: `carer` has the place, another carer is on the waiting list.
    Three materials: one for everyone, one for people who booked, one not checked yet."""
    event = EventFactory(title="Money workshop", capacity=1)
    services.booking_create(event=event, user=carer)
    waiting = services.booking_create(event=event, user=CarerProfileFactory().user)
    assert waiting.status == Booking.Status.WAITLISTED
    event.waiting_user = waiting.user
    for kind, title, url, shared_with, ready in [
        ("slides", "Slides for everyone", PUBLIC, "everyone", True),
        ("recording", "Recording for people who booked", BOOKED_ONLY, "booked", True),
        ("handout", "Handout not checked yet", NOT_READY, "everyone", False),
    ]:
        EventMaterial.objects.create(
            event=event, kind=kind, title=title, url=url, shared_with=shared_with, ready=ready
        )
    return event


def after(event, time_machine, **delta):
    time_machine.move_to(event.ends_at + timezone.timedelta(**delta or {"minutes": 1}), tick=False)


def page(client, event) -> str:
    return client.get(reverse("events:detail", args=[event.slug])).content.decode()


def test_nothing_is_shown_before_the_event_has_ended(client, carer_client, event, time_machine):
    time_machine.move_to(event.starts_at + timezone.timedelta(minutes=30), tick=False)
    for html in (page(client, event), page(carer_client, event)):
        assert "Recordings and materials" not in html
        assert PUBLIC not in html and BOOKED_ONLY not in html


def test_a_visitor_sees_only_the_ready_materials_for_everyone(client, event, time_machine):
    after(event, time_machine)
    html = page(client, event)
    assert "Recordings and materials" in html
    assert "Slides for everyone" in html and f'href="{PUBLIC}"' in html
    assert "Recording for people who booked" not in html and BOOKED_ONLY not in html
    assert "Handout not checked yet" not in html and NOT_READY not in html
    # Someone who booked may not be signed in: they are told there is more.
    assert "to see the materials for people who booked" in html


def test_a_confirmed_booker_sees_the_materials_for_people_who_booked(
    carer_client, event, time_machine
):
    after(event, time_machine)
    html = page(carer_client, event)
    assert f'href="{PUBLIC}"' in html and f'href="{BOOKED_ONLY}"' in html
    assert NOT_READY not in html
    assert "to see the materials for people who booked" not in html


def test_the_waiting_list_and_other_carers_see_only_the_public_ones(client, event, time_machine):
    after(event, time_machine)
    for person in (event.waiting_user, CarerProfileFactory().user):
        client.force_login(person)
        html = page(client, event)
        assert f'href="{PUBLIC}"' in html
        assert BOOKED_ONLY not in html and NOT_READY not in html


def test_a_cancelled_place_no_longer_shows_the_materials_for_people_who_booked(
    carer_client, carer, event, time_machine
):
    services.booking_cancel(booking=Booking.objects.get(event=event, user=carer))
    after(event, time_machine)
    html = page(carer_client, event)
    assert f'href="{PUBLIC}"' in html and BOOKED_ONLY not in html


def test_a_library_resource_is_listed_only_for_those_who_may_read_it(
    client, carer_client, officer, event, time_machine
):
    staff_notes = ResourceFactory(title="Notes for staff", slug="notes-for-staff", staff_only=True)
    guide = ResourceFactory(title="The money guide", slug="money-guide")
    for title, resource in [("Notes from the session", staff_notes), ("Our money guide", guide)]:
        EventMaterial.objects.create(
            event=event, title=title, resource=resource, shared_with="everyone", ready=True
        )
    after(event, time_machine)

    html = page(carer_client, event)
    assert guide.get_absolute_url() in html and "Our money guide" in html
    assert staff_notes.get_absolute_url() not in html and "Notes from the session" not in html
    client.force_login(officer)
    assert staff_notes.get_absolute_url() in page(client, event)  # staff may read it


def test_the_welsh_page_shows_the_welsh_title(client, event, time_machine):
    EventMaterial.objects.filter(url=PUBLIC).update(title_cy="Sleidiau i bawb")
    after(event, time_machine)
    with translation.override("cy"):
        url = reverse("events:detail", args=[event.slug])
    html = client.get(url).content.decode()
    assert 'lang="cy">Sleidiau i bawb</a>' in html


def test_the_dashboard_lists_them_under_the_events_you_have_been_to(
    carer_client, client, event, time_machine
):
    after(event, time_machine, days=1)
    dashboard = carer_client.get(reverse("portal:dashboard")).content.decode()
    assert "Events you have been to" in dashboard
    assert f'href="{PUBLIC}"' in dashboard and f'href="{BOOKED_ONLY}"' in dashboard
    assert NOT_READY not in dashboard

    client.force_login(event.waiting_user)  # never had a place: nothing past, nothing shown
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert BOOKED_ONLY not in dashboard and PUBLIC not in dashboard


def test_a_material_has_a_web_address_or_a_resource_never_both_nor_neither(event):
    with pytest.raises(IntegrityError):
        EventMaterial.objects.create(event=event, title="Nothing to open")


# --- Content admins ---------------------------------------------------------------------


@pytest.fixture
def content_admin_client(client, content_admin):
    client.force_login(content_admin)
    return client


def test_the_admin_says_beside_the_field_what_is_missing(content_admin_client, event):
    guide = ResourceFactory()
    add = reverse("admin:events_eventmaterial_add")
    data = {"event": event.pk, "kind": "slides", "shared_with": "everyone", "title": "Slides"}

    response = content_admin_client.post(add, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["url"] == ["Enter a web address, or choose a resource from the library"]

    response = content_admin_client.post(
        add, {**data, "url": "https://example.org/slides", "resource": guide.pk}
    )
    errors = response.context["adminform"].form.errors
    assert errors["resource"] == ["Choose a resource or enter a web address, not both"]
    assert not EventMaterial.objects.filter(title="Slides").exists()


def test_the_event_page_in_admin_adds_materials_inline(content_admin_client, event):
    from tests.events.test_admin import _change_form

    data = _change_form(event)
    data.update(
        {
            "materials-TOTAL_FORMS": "1",
            "materials-0-kind": "recording",
            "materials-0-shared_with": "booked",
            "materials-0-ready": "on",
            "materials-0-title": "Recording of the workshop",
            "materials-0-title_cy": "Recordiad o'r gweithdy",
            "materials-0-url": "video.example.org/workshop",
        }
    )
    response = content_admin_client.post(
        reverse("admin:events_event_change", args=[event.pk]), data
    )
    assert response.status_code == 302
    material = event.materials.get(title="Recording of the workshop")
    assert material.url == "https://video.example.org/workshop"  # https assumed
    assert (material.title_cy, material.ready, material.shared_with) == (
        "Recordiad o'r gweithdy",
        True,
        "booked",
    )


def test_add_to_the_library_publishes_one_resource(
    content_admin_client, client, event, time_machine
):
    topic = TopicFactory(name="Money", slug="money")
    event.topics.set([topic])
    public = EventMaterial.objects.get(url=PUBLIC)
    booked_only = EventMaterial.objects.get(url=BOOKED_ONLY)
    public.title_cy = "Sleidiau i bawb"
    public.save()
    after(event, time_machine)
    changelist = reverse("admin:events_eventmaterial_changelist")

    def add(*materials):
        return content_admin_client.post(
            changelist,
            {"action": "add_to_library", "_selected_action": [m.pk for m in materials]},
            follow=True,
        ).content.decode()

    html = add(public, booked_only)
    assert "1 resource published in the library." in html
    assert "Only materials shown to everyone can go in the library" in html
    resource = Resource.objects.get(title="Slides for everyone")
    assert resource.is_live() and not resource.staff_only
    assert resource.external_url == PUBLIC
    assert (resource.title_cy, resource.kind) == ("Sleidiau i bawb", Resource.Kind.DOCUMENT)
    assert list(resource.topics.all()) == [topic]
    assert resource.audiences == event.audiences
    assert "Money workshop" in resource.summary
    public.refresh_from_db()
    assert (public.resource, public.url) == (resource, "")
    # The event's page in admin shows where it went.
    change = content_admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert reverse("admin:resources_resource_change", args=[resource.pk]) in change.content.decode()

    # Once only: the second time it is already there.
    assert "already a resource in the library" in add(public)
    assert Resource.objects.filter(title="Slides for everyone").count() == 1

    # In the library for everyone, and still on the event page, now through the library.
    library = client.get(reverse("resources:list")).content.decode()
    assert "Slides for everyone" in library and resource.get_absolute_url() in library
    assert resource.get_absolute_url() in page(client, event)
