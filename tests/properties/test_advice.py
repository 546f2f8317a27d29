"""Advice requests, filled in by Hypothesis: a carer's question (/advice/new/), the carer's
reply and the Virtual School's reply (on the request's pages).

A valid question saves the request and its first message as typed (stripped), and the thread
shows it; a valid reply adds exactly one message (and, from staff, tells the carer). An invalid
one saves nothing, with the message beside the field.
"""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.models import Notification
from schools.models import AdviceMessage, AdviceRequest
from schools.services import advice as advice_services
from tests.factories import ChildFactory
from tests.properties.checks import (
    PROPERTY,
    accepted,
    assert_refused,
    assert_shown,
    changed_counts,
    row_counts,
    signed_in,
    table,
    undone,
)
from tests.properties.strategies import OMIT, Mistake, blank, free_text, too_long_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def asking(leeds, carer):
    """A carer in Leeds (which has a Virtual School) with one child in their profile."""
    child = ChildFactory(carer=carer.carer_profile)
    return carer, child


@pytest.fixture
def carer_client(carer):
    return signed_in(carer)


@pytest.fixture
def advice(leeds, carer):
    return advice_services.advice_request_create(carer=carer, topic="attendance", message="Hi")


@st.composite
def question_forms(draw, child) -> tuple[dict, dict]:
    about = draw(st.sampled_from([child, None]))
    contact = about is not None and draw(st.booleans())
    data = {
        "topic": draw(st.sampled_from(AdviceRequest.Topic.values)),
        "message": draw(free_text(5000, required=True)),
        "child": str(child.pk) if about else draw(st.sampled_from(["none", ""])),
        **({"may_contact_school": "on"} if contact else {}),
    }
    expected = {
        "topic": data["topic"],
        "child": about.pk if about else None,
        "may_contact_school": contact,
        "messages__body": data["message"].strip(),
    }
    return data, expected


def message_mistakes(field: str, required: str, too_long: str) -> st.SearchStrategy[Mistake]:
    return st.one_of(
        st.one_of(blank, st.just(OMIT)).map(lambda v: Mistake(field, {field: v}, required)),
        too_long_text(5000).map(lambda v: Mistake(field, {field: v}, too_long)),
    )


question_mistakes = st.one_of(
    st.sampled_from(["", "money", OMIT]).map(
        lambda v: Mistake("topic", {"topic": v}, "Choose what your question is about")
    ),
    message_mistakes(
        "message", "Enter your question", "Your question must be 5,000 characters or fewer"
    ),
    st.sampled_from(["0", "99999", "abc"]).map(
        lambda v: Mistake("child", {"child": v}, "Choose one of the children in your profile")
    ),
    st.sampled_from(["none", ""]).map(
        lambda v: Mistake(
            "may_contact_school",
            {"child": v, "may_contact_school": "on"},
            "Choose the child this is about, or untick this box",
        )
    ),
)

REPLY = ("body", "Enter your reply", "Your reply must be 5,000 characters or fewer")


@PROPERTY
@given(data=st.data())
def test_a_valid_question_is_saved_as_typed_and_shown(data, asking, leeds, carer_client):
    carer, child = asking
    payload, expected = data.draw(question_forms(child), label="form and request")
    with undone():
        before = row_counts()
        accepted(carer_client.post(reverse("advice:new"), payload))
        assert changed_counts(before) == {table(AdviceRequest): 1, table(AdviceMessage): 1}
        request = AdviceRequest.objects.latest("pk")
        assert AdviceRequest.objects.values(*expected).get(pk=request.pk) == expected
        assert (request.carer_id, request.virtual_school_id) == (carer.pk, leeds.pk)
        page = reverse("advice:detail", args=[request.pk])
        assert_shown(carer_client, page, expected["messages__body"])


@PROPERTY
@given(data=st.data())
def test_an_invalid_question_saves_nothing_and_says_why_beside_the_field(
    data, asking, carer_client
):
    _carer, child = asking
    payload, _expected = data.draw(question_forms(child), label="valid form")
    mistake = data.draw(question_mistakes, label="mistake")
    with undone():
        before = row_counts()
        response = carer_client.post(reverse("advice:new"), mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)


@PROPERTY
@given(body=free_text(5000, required=True))
def test_a_valid_reply_from_the_carer_is_saved_as_typed_and_shown(body, advice, carer_client):
    url = reverse("advice:detail", args=[advice.pk])
    with undone():
        before = row_counts()
        accepted(carer_client.post(url, {"body": body}))
        assert changed_counts(before) == {table(AdviceMessage): 1}
        message = AdviceMessage.objects.latest("pk")
        assert (message.body, message.from_staff) == (body.strip(), False)
        assert_shown(carer_client, url, body)


@PROPERTY
@given(data=st.data())
def test_an_invalid_reply_from_the_carer_saves_nothing_and_says_why(data, advice, carer_client):
    mistake = data.draw(message_mistakes(*REPLY), label="mistake")
    with undone():
        before = row_counts()
        url = reverse("advice:detail", args=[advice.pk])
        response = carer_client.post(url, mistake.applied_to({"body": "Thank you"}))
        assert_refused(response, before, mistake.field, mistake.message)


@PROPERTY
@given(body=free_text(5000, required=True))
def test_a_valid_reply_from_staff_is_saved_as_typed_and_tells_the_carer(body, advice, head_client):
    url = reverse("schools:advice_detail", args=[advice.pk])
    with undone():
        before = row_counts()
        accepted(head_client.post(url, {"action": "reply", "body": body}))
        assert changed_counts(before) == {table(AdviceMessage): 1, table(Notification): 1}
        message = AdviceMessage.objects.latest("pk")
        assert (message.body, message.from_staff) == (body.strip(), True)
        assert_shown(head_client, url, body)


@PROPERTY
@given(data=st.data())
def test_an_invalid_reply_from_staff_saves_nothing_and_says_why(data, advice, head_client):
    mistake = data.draw(message_mistakes(*REPLY), label="mistake")
    with undone():
        before = row_counts()
        url = reverse("schools:advice_detail", args=[advice.pk])
        payload = mistake.applied_to({"action": "reply", "body": "Happy to help"})
        response = head_client.post(url, payload)
        assert_refused(response, before, mistake.field, mistake.message)
