"""Admin add pages leave out the read-only fields the database fills in when a row is saved
(core.bilingual_admin.FilledOnSaveAdmin): before, they printed Django's placeholder object."""

import pytest
from django.urls import reverse

from tests.factories import CarerProfileFactory, EventFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["admin:events_event_add", "admin:resources_resource_add"])
def test_content_admin_add_pages_show_no_placeholder(client, content_admin, page):
    client.force_login(content_admin)
    response = client.get(reverse(page))
    assert response.status_code == 200
    body = response.content.decode()
    assert "DatabaseDefault" not in body
    assert "Created at" not in body  # nothing to show until it is saved
    assert "Updated at" in body  # the other read-only fields stay where they were


def test_carer_profile_add_page_shows_no_placeholder(client, operator):
    client.force_login(operator)
    body = client.get(reverse("admin:carers_carerprofile_add")).content.decode()
    assert "DatabaseDefault" not in body and "Created at" not in body


@pytest.mark.parametrize(
    ("factory", "page"),
    [
        (EventFactory, "admin:events_event_change"),
        (ResourceFactory, "admin:resources_resource_change"),
        (CarerProfileFactory, "admin:carers_carerprofile_change"),
    ],
)
def test_saved_objects_show_when_they_were_created(client, operator, factory, page):
    saved = factory()
    client.force_login(operator)
    body = client.get(reverse(page, args=[saved.pk])).content.decode()
    assert "Created at" in body and "DatabaseDefault" not in body
