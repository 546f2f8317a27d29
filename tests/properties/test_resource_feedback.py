"""'Was this page useful?' on a resource's page, filled in by Hypothesis.

A valid answer saves exactly one piece of feedback, as given (the comment stripped). An invalid
one saves nothing, with the message beside the field.
"""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from resources.models import ResourceFeedback
from tests.factories import ResourceFactory
from tests.properties.checks import (
    PROPERTY,
    accepted,
    assert_refused,
    changed_counts,
    row_counts,
    table,
    undone,
    visitor,
)
from tests.properties.strategies import OMIT, Mistake, free_text, too_long_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(db):
    return ResourceFactory()


@PROPERTY
@given(useful=st.booleans(), comment=free_text(1200))
def test_valid_feedback_on_a_resource_is_saved_as_given(useful, comment, resource):
    url = reverse("resources:feedback", args=[resource.slug])
    with undone():
        before = row_counts()
        accepted(visitor().post(url, {"useful": "yes" if useful else "no", "comment": comment}))
        assert changed_counts(before) == {table(ResourceFeedback): 1}
        feedback = ResourceFeedback.objects.get()
        assert (feedback.resource_id, feedback.useful, feedback.comment) == (
            resource.pk,
            useful,
            comment.strip(),
        )


@PROPERTY
@given(
    mistake=st.one_of(
        st.sampled_from([OMIT, ""]).map(
            lambda v: Mistake("useful", {"useful": v}, "Select yes if this page was useful")
        ),
        st.sampled_from(["maybe", "true", "1", "YES"]).map(
            lambda v: Mistake("useful", {"useful": v}, "Select yes or no")
        ),
        too_long_text(1200).map(
            lambda v: Mistake(
                "comment", {"comment": v}, "Your comment must be 1,200 characters or fewer"
            )
        ),
    )
)
def test_invalid_feedback_on_a_resource_saves_nothing_and_says_why(mistake, resource):
    url = reverse("resources:feedback", args=[resource.slug])
    with undone():
        before = row_counts()
        response = visitor().post(url, mistake.applied_to({"useful": "yes", "comment": "Clear"}))
        assert_refused(response, before, mistake.field, mistake.message)
