"""Drafts, reviews, schedules, archives and staff-only resources are a 404 to those who may not see them."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from resources.models import Resource
from tests.factories import ResourceFactory, StaffMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _status(client, resource) -> int:
    return client.get(reverse("resources:detail", args=[resource.slug])).status_code


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_unpublished_resources_are_hidden(client, carer_client, status):
    resource = ResourceFactory(
        status=status, published_at=None if status != "archived" else timezone.now()
    )
    assert _status(client, resource) == 404
    assert _status(carer_client, resource) == 404
    assert resource.title not in client.get(reverse("resources:list")).content.decode()


def test_published_resource_is_public(client):
    resource = ResourceFactory(body="**Useful** advice")
    response = client.get(reverse("resources:detail", args=[resource.slug]))
    assert response.status_code == 200
    assert "<strong>Useful</strong> advice" in response.content.decode()


def test_scheduled_resource_appears_when_due(client, time_machine):
    time_machine.move_to("2026-12-01 09:00:00+00:00", tick=False)
    resource = ResourceFactory(published_at=timezone.now() + timezone.timedelta(hours=2))
    assert _status(client, resource) == 404
    assert resource.title not in client.get(reverse("resources:list")).content.decode()
    time_machine.move_to("2026-12-01 11:00:01+00:00", tick=False)
    assert _status(client, resource) == 200
    assert resource.title in client.get(reverse("resources:list")).content.decode()


def test_resources_for_schools_only_are_for_staff(client, carer_client, officer):
    resource = ResourceFactory(audiences=["schools", "professionals"])
    assert _status(client, resource) == 404
    assert _status(carer_client, resource) == 404
    client.force_login(officer)
    assert _status(client, resource) == 200


def test_content_admin_previews_drafts(client):
    resource = ResourceFactory(status="draft", published_at=None, title="Work in progress")
    admin = UserFactory(is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("resources:detail", args=[resource.slug]))
    assert response.status_code == 200
    assert "Only content admins can see this page" in response.content.decode()
    # Not in the public list, even for the admin.
    assert "Work in progress" not in client.get(reverse("resources:list")).content.decode()


def test_school_staff_cannot_preview_drafts(client):
    resource = ResourceFactory(status="draft", published_at=None)
    client.force_login(StaffMembershipFactory().user)
    assert _status(client, resource) == 404


def test_overdue_review_is_shown_to_readers(client):
    fresh = ResourceFactory(
        last_reviewed_on=timezone.localdate(),
        review_due_on=timezone.localdate() + timezone.timedelta(days=30),
    )
    stale = ResourceFactory(
        last_reviewed_on=timezone.localdate() - timezone.timedelta(days=400),
        review_due_on=timezone.localdate() - timezone.timedelta(days=1),
    )
    fresh_page = client.get(reverse("resources:detail", args=[fresh.slug])).content.decode()
    stale_page = client.get(reverse("resources:detail", args=[stale.slug])).content.decode()
    assert "Last reviewed on" in fresh_page and "due to be checked" not in fresh_page
    assert "due to be checked" in stale_page


def test_seed_demo_resources_are_visible(client):
    call_command("seed_demo", demo_site=True, verbosity=0)
    assert Resource.objects.live().count() >= 10
    assert "Special guardianship orders explained" in client.get("/").content.decode()
