"""Library search finds what carers look for: the relevance test set (portal/relevance.py)
on the demo library, on whichever database the suite uses."""

import pytest
from django.core.management import call_command

from portal.demo_data import RESOURCES
from portal.relevance import RELEVANCE, SUCCESS_FLOOR, evaluate, visitor_search

pytestmark = pytest.mark.django_db


def test_search_answers_what_carers_type():
    call_command("seed_demo", demo_site=True, verbosity=0)
    success, mrr, failures = evaluate(visitor_search)
    report = "\n".join(
        f"  {query!r}: expected {list(expected)}, got {got}" for query, expected, got in failures
    )
    assert success >= SUCCESS_FLOOR, (
        f"success@3 {success:.1%} ({len(RELEVANCE) - len(failures)}/{len(RELEVANCE)}), "
        f"MRR {mrr:.2f}, below {SUCCESS_FLOOR:.0%}. Failures:\n{report}"
    )


def test_the_test_set_is_large_and_names_only_demo_guides():
    demo_slugs = {spec[0] for spec in RESOURCES}
    assert len(RELEVANCE) >= 45
    assert len({query for query, _ in RELEVANCE}) == len(RELEVANCE), "a query is listed twice"
    for query, expected in RELEVANCE:
        assert expected, f"{query!r} expects no guide"
        assert set(expected) <= demo_slugs, f"{query!r} expects a guide that is not in the demo"


def test_evaluate_counts_hits_ranks_and_failures():
    queries = [
        ("first", ("a",)),  # rank 1
        ("third", ("c", "z")),  # rank 3: in the top 3
        ("fourth", ("d",)),  # rank 4: found, but a failure at k=3
        ("absent", ("x",)),  # not found: reciprocal rank 0
    ]
    ranked = {
        "first": ["a", "b", "c", "d"],
        "third": ["a", "b", "c", "d"],
        "fourth": ["a", "b", "c", "d"],
        "absent": ["a", "b"],
    }
    success, mrr, failures = evaluate(lambda q: ranked[q], queries, k=3)
    assert success == pytest.approx(2 / 4)
    assert mrr == pytest.approx((1 + 1 / 3 + 1 / 4 + 0) / 4)
    assert failures == [("fourth", ("d",), ["a", "b", "c"]), ("absent", ("x",), ["a", "b"])]
    assert evaluate(lambda q: [], queries).success_at_k == 0
    assert evaluate(lambda q: ranked[q], queries, k=4).success_at_k == pytest.approx(3 / 4)
