"""Rate limits on what a visitor or a stolen session could repeat without end (security
review, 30 November 2026, finding 11)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from resources.models import ResourceFeedback
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_resource_feedback_is_limited(client, settings):
    settings.FEEDBACK_RATE_LIMIT = "3/h"
    resource = ResourceFactory()
    url = reverse("resources:feedback", args=[resource.slug])
    for _ in range(3):
        assert client.post(url, {"useful": "yes"}).status_code == 302
    response = client.post(url, {"useful": "no", "comment": "spam"})
    assert response.status_code == 200
    assert "You have sent feedback too many times. Wait an hour, then try again." in (
        response.content.decode()
    )
    assert ResourceFeedback.objects.count() == 3


def test_password_guesses_on_the_delete_page_are_limited(carer_client, carer, settings):
    settings.DELETE_ACCOUNT_RATE_LIMIT = "3/15m"
    url = reverse("carers:delete")
    for guess in ("one", "two", "three"):
        page = carer_client.post(url, {"password": guess}).content.decode()
        assert "The password is not correct" in page
    # The fourth try is refused even with the right password: guessing gets nowhere.
    response = carer_client.post(url, {"password": "correct-horse-battery"})
    assert response.status_code == 200
    assert "You have tried your password too many times" in response.content.decode()
    assert User.objects.filter(pk=carer.pk).exists()


def test_new_questions_to_the_virtual_school_are_limited(carer_client, carer, settings):
    from schools.models import AdviceRequest
    from tests.factories import VirtualSchoolFactory

    VirtualSchoolFactory()  # Leeds, the carer's council
    settings.ADVICE_RATE_LIMIT = "2/h"
    url = reverse("advice:new")
    for n in range(2):
        response = carer_client.post(url, {"topic": "attendance", "message": f"Question {n}"})
        assert response.status_code == 302
    response = carer_client.post(url, {"topic": "attendance", "message": "Question 3"})
    assert response.status_code == 200
    assert "You have sent a lot of questions in the last hour" in response.content.decode()
    assert AdviceRequest.objects.filter(carer=carer).count() == 2
