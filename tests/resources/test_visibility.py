"""Drafts, reviews, schedules, archives and staff-only resources are a 404 to those who may not
see them. Audience only describes a resource and filters lists: it never hides one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resources.models import Resource
from tests.factories import ResourceFactory, StaffMembershipFactory, TopicFactory, UserFactory

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


def _signed_in(user=None) -> Client:
    browser = Client()
    if user is not None:
        browser.force_login(user)
    return browser


def _listed(browser, **params) -> set[str]:
    return {r.title for r in browser.get(reverse("resources:list"), params).context["resources"]}


def test_guidance_for_schools_and_professionals_is_public(carer):
    """Audience describes and filters: it does not hide. Designated teachers have no accounts."""
    briefing = ResourceFactory(
        title="Briefing for designated teachers",
        summary="What designated teachers should know about children in kinship care.",
        audiences=["schools", "professionals"],
    )
    ResourceFactory(title="Money guide for carers")
    for browser in (_signed_in(), _signed_in(carer)):
        assert _status(browser, briefing) == 200
        assert briefing.title in _listed(browser)
        assert briefing.title in _listed(browser, q="designated teachers")
        assert _listed(browser, audience="schools") == {briefing.title}
        assert briefing.title not in _listed(browser, audience="carers")


def test_staff_only_resource_is_for_staff_alone(carer, officer, content_admin, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    topic = TopicFactory(slug="staff-only-topic")
    public = ResourceFactory(title="Public school guide", topics=[topic])
    secret = ResourceFactory(
        title="Staff briefing on exclusions",
        summary="Internal notes for Virtual School officers.",
        kind="document",
        file=SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n%%EOF\n"),
        audiences=["carers", "schools"],  # whoever it is for, staff only decides
        topics=[topic],
        featured=True,
        staff_only=True,
    )
    download = reverse("resources:download", args=[secret.slug])
    related = reverse("resources:detail", args=[public.slug])
    for browser in (_signed_in(), _signed_in(carer)):
        assert _status(browser, secret) == 404
        assert browser.get(download).status_code == 404
        assert secret.title not in _listed(browser)
        assert secret.title not in _listed(browser, q="staff briefing exclusions")
        assert secret.title not in _listed(browser, audience="schools")
        assert secret.title not in browser.get(related).content.decode()
        assert secret.title not in browser.get("/").content.decode()
    for user in (officer, content_admin):
        browser = _signed_in(user)
        page = browser.get(reverse("resources:detail", args=[secret.slug]))
        assert page.status_code == 200
        assert "Only Virtual School staff and content admins can see this page" in (
            page.content.decode()
        )
        assert browser.get(download).status_code == 200
        assert secret.title in _listed(browser)
        assert secret.title in _listed(browser, q="staff briefing exclusions")
    # A public page has no staff-only notice.
    assert "Only Virtual School staff" not in _signed_in(officer).get(related).content.decode()


def test_staff_only_is_never_advice_for_a_carer(carer_client, carer):
    topic = TopicFactory(slug="for-me-staff-only")
    carer.carer_profile.topics.set([topic])
    ResourceFactory(title="Matches my topic", topics=[topic])
    ResourceFactory(title="Staff notes on my topic", topics=[topic], staff_only=True)
    page = carer_client.get(reverse("portal:dashboard"))
    assert [r.title for r in page.context["for_you"]] == ["Matches my topic"]
    assert "Staff notes on my topic" not in page.content.decode()


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
    # The briefing is for designated teachers, who have no accounts: it is public.
    briefing = reverse("resources:detail", args=["designated-teacher-briefing"])
    assert client.get(briefing).status_code == 200
