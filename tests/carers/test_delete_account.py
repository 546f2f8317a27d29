"""Deleting an account leaves no personal data behind."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.models import User
from carers import services
from tests.factories import PASSWORD, ChildFactory

pytestmark = pytest.mark.django_db


def _rows_mentioning(value: str) -> list[str]:
    """Every row, in every table, with a text field containing `value`."""
    found = []
    for model in apps.get_models():
        query = models.Q()
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                query |= models.Q(**{f"{field.name}__icontains": value})
        if query and model._default_manager.filter(query).exists():
            found.append(model._meta.label)
    return found


def test_delete_needs_the_password(carer_client, carer):
    response = carer_client.post(reverse("carers:delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert "The password is not correct" in response.content.decode()
    assert User.objects.filter(pk=carer.pk).exists()


def test_delete_leaves_no_personal_data(client, carer):
    carer.first_name, carer.last_name = "Winifred", "Abernathy"
    carer.save()
    child = ChildFactory(
        carer=carer.carer_profile, first_name="Zephyrine", school_name="Quillbrook Primary"
    )
    services.child_consent_give(child=child, by=carer)
    from events.services import booking_create
    from resources.services import resource_save_for_user
    from tests.factories import EventFactory, ResourceFactory

    booking_create(event=EventFactory(), user=carer, access_needs="Zephyrine needs a quiet room")
    resource_save_for_user(user=carer, resource=ResourceFactory())
    client.force_login(carer)
    email = carer.email
    for value in (email, "Winifred", "Abernathy", "Zephyrine", "Quillbrook"):
        assert _rows_mentioning(value), value  # the probe finds the data before deletion

    response = client.post(reverse("carers:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")

    for value in (email, "Winifred", "Abernathy", "Zephyrine", "Quillbrook"):
        assert _rows_mentioning(value) == [], value
    assert not User.objects.filter(pk=carer.pk).exists()
    # The old session no longer signs anyone in.
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_staff_cannot_use_the_carer_delete_page(client, officer):
    client.force_login(officer)
    response = client.post(reverse("carers:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.filter(pk=officer.pk).exists()
