import pytest
from django.urls import reverse

from resources.models import ResourceFeedback, SavedResource
from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_save_and_unsave_shows_on_dashboard(carer_client, carer):
    resource = ResourceFactory(title="Keep this one")
    url = reverse("resources:save", args=[resource.slug])
    assert carer_client.post(url, {"action": "save"}).status_code == 302
    carer_client.post(url, {"action": "save"})  # twice is the same as once
    assert SavedResource.objects.filter(user=carer).count() == 1
    assert "Keep this one" in carer_client.get(reverse("portal:dashboard")).content.decode()
    carer_client.post(url, {"action": "unsave"})
    assert not SavedResource.objects.filter(user=carer).exists()


def test_visitors_must_sign_in_to_save(client):
    resource = ResourceFactory()
    response = client.post(reverse("resources:save", args=[resource.slug]), {"action": "save"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not SavedResource.objects.exists()


def test_feedback_is_stored_for_curators(client):
    resource = ResourceFactory()
    response = client.post(
        reverse("resources:feedback", args=[resource.slug]),
        {"useful": "no", "comment": "Needs more on allowances"},
    )
    assert response.status_code == 302
    feedback = ResourceFeedback.objects.get()
    assert feedback.useful is False and feedback.comment == "Needs more on allowances"
    assert "Thank you for your feedback" in client.get(response["Location"]).content.decode()


def test_feedback_without_an_answer_gets_a_field_message(client):
    resource = ResourceFactory()
    response = client.post(
        reverse("resources:feedback", args=[resource.slug]), {"comment": "x" * 1300}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select yes if this page was useful" in body
    assert "Your comment must be 1,200 characters or fewer" in body
    assert not ResourceFeedback.objects.exists()


def test_related_resources_share_topics(client):
    topic = TopicFactory(slug="shared")
    other = TopicFactory(slug="other")
    resource = ResourceFactory(topics=[topic])
    related = ResourceFactory(title="Shares a topic", topics=[topic])
    ResourceFactory(title="Different topic", topics=[other])
    ResourceFactory(title="Hidden draft", topics=[topic], status="draft", published_at=None)
    page = client.get(reverse("resources:detail", args=[resource.slug]))
    assert [r.title for r in page.context["related"]] == [related.title]


def test_for_you_puts_matching_resources_first(carer_client, carer):
    topic = TopicFactory(slug="for-me")
    carer.carer_profile.topics.set([topic])
    ResourceFactory(title="Unrelated to me")
    ResourceFactory(title="Matches my topic", topics=[topic])
    ResourceFactory(title="Matches topic and arrangement", topics=[topic], arrangements=["sgo"])
    page = carer_client.get(reverse("portal:dashboard"))
    assert [r.title for r in page.context["for_you"]] == [
        "Matches topic and arrangement",
        "Matches my topic",
    ]
