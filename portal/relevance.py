"""A relevance test set for library search, and its measurement.

RELEVANCE is a list of (query, expected slugs): what a tired kinship carer really types
into the library's search box (their own words, the abbreviations in their letters from
court, council and school, typos, whole questions), each with the demo guides
(portal/demo_data.py, loaded by `manage.py seed_demo`) that genuinely answer it. A query
counts as answered when any one of its expected guides comes back in the top k.

The expected slugs are what a carer would want to read, not what search returns today:
never change them to make a run pass. The test set lives here, on the top floor, because
it depends on the demo content.

    manage.py search_relevance               # the figures on the current database
    manage.py search_relevance --floor 0.9   # exits non-zero below 90% success@3
    tests/resources/test_relevance.py        # the same measurement in the test suite

To add a query, append a (query, (slug, ...)) pair to RELEVANCE: the query exactly as a
carer would type it (keep their spelling), and every demo guide a carer would be glad to
be shown for it, most useful first. List only guides that answer the question, not ones
that merely mention a word of it. If no demo guide answers it, add the guide to
portal/demo_data.py first. Keep each expected slug one of demo_data.RESOURCES' slugs
(a test checks).
"""

from collections.abc import Callable, Sequence
from typing import NamedTuple

SGO = "special-guardianship-explained"
BEHAVIOUR = "school-keeps-calling-about-behaviour"
PP_PLUS = "pupil-premium-plus"
ADMISSIONS = "school-admissions-priority"
MONEY = "kinship-carers-money-guide"
EHCP = "ehc-plans-for-kinship-carers"
CONTACT = "contact-with-birth-parents"
SELF_CARE = "looking-after-yourself"
TEENAGERS = "teenagers-and-independence"
# Written for school staff, but public: it answers a carer's "what is a designated teacher".
DT_BRIEFING = "designated-teacher-briefing"
SGO_WEBINAR = "webinar-recording-sgo-support"
KINSHIP_FOSTERING = "kinship-foster-care-guide"
ATTENDANCE = "attendance-and-persistent-absence"
LEEDS_GROUP = "leeds-kinship-support-group"

# A query and the guides that answer it, most useful first.
RELEVANCE: list[tuple[str, tuple[str, ...]]] = [
    # School places
    ("school admissions", (ADMISSIONS,)),
    ("admissions", (ADMISSIONS,)),
    ("admisions", (ADMISSIONS,)),
    ("school place", (ADMISSIONS,)),
    ("applying for primary school", (ADMISSIONS,)),
    ("secondary school application deadline", (ADMISSIONS,)),
    ("PLAC priority for school places", (ADMISSIONS,)),
    ("does a CAO child get priority for a school place", (ADMISSIONS,)),
    # Behaviour, suspensions and exclusions
    ("excluded from school", (BEHAVIOUR,)),
    ("exclusion", (BEHAVIOUR,)),
    ("exclussion", (BEHAVIOUR,)),
    ("fixed term exclusion", (BEHAVIOUR,)),
    ("suspended from school", (BEHAVIOUR,)),
    ("grandson suspended", (BEHAVIOUR,)),
    ("school keeps ringing me about his behaviour", (BEHAVIOUR,)),
    ("behavour", (BEHAVIOUR,)),
    ("naughty at school", (BEHAVIOUR,)),
    ("trauma", (BEHAVIOUR,)),
    ("contact the VSH about a suspension", (BEHAVIOUR,)),
    ("what does the virtual school do", (BEHAVIOUR, DT_BRIEFING)),
    # Designated teacher
    ("designated teacher", (BEHAVIOUR, DT_BRIEFING)),
    ("who is the DT at school", (BEHAVIOUR, DT_BRIEFING)),
    # Pupil Premium Plus
    ("PP+", (PP_PLUS,)),
    ("pupil premium", (PP_PLUS,)),
    ("pupil premium plus", (PP_PLUS,)),
    ("extra money for school", (PP_PLUS,)),
    ("school funding for adopted child", (PP_PLUS,)),
    ("is a CAO child entitled to pupil premium", (PP_PLUS,)),
    ("PLAC", (PP_PLUS, ADMISSIONS)),
    (
        "how do i get the school to claim pupil premium plus for my granddaughter",
        (PP_PLUS,),
    ),
    # Special educational needs
    ("SEN assessment", (EHCP,)),
    ("EHCP", (EHCP,)),
    ("how do i get an ehcp", (EHCP,)),
    ("council refused ehcp assessment", (EHCP,)),
    ("SEN", (EHCP,)),
    ("special needs", (EHCP,)),
    (
        "my grandson has adhd and the school say he needs an assessment what do i do",
        (EHCP, BEHAVIOUR),
    ),
    # Attendance
    ("attendance", (ATTENDANCE,)),
    ("persistant absence", (ATTENDANCE,)),
    ("wont go to school", (ATTENDANCE,)),
    ("school refusal anxiety", (ATTENDANCE,)),
    # Special guardianship and other orders
    ("SGO", (SGO, SGO_WEBINAR)),
    ("what is an sgo", (SGO,)),
    ("gaurdianship", (SGO, SGO_WEBINAR)),
    ("special gaurdianship order", (SGO,)),
    ("parental responsibility", (SGO,)),
    ("difference between sgo and adoption", (SGO,)),
    ("sgo support plan", (SGO_WEBINAR, SGO)),
    ("do i need a solicitor for the sgo", (SGO_WEBINAR, SGO)),
    ("adoption support fund therapy", (SGO,)),
    # Money
    ("special guardianship allowance", (MONEY,)),
    ("financial support", (MONEY,)),
    ("council tax", (MONEY,)),
    ("child benefit", (MONEY,)),
    ("guardians allowance", (MONEY,)),
    ("benefits", (MONEY,)),
    ("allowence", (MONEY, KINSHIP_FOSTERING)),
    ("can i get paid for looking after my grandchild", (MONEY, KINSHIP_FOSTERING)),
    ("both parents died what money can i get", (MONEY,)),
    # Kinship foster care
    ("fostering allowance", (KINSHIP_FOSTERING,)),
    ("connected person", (KINSHIP_FOSTERING,)),
    ("kinship foster carer", (KINSHIP_FOSTERING,)),
    ("LAC", (KINSHIP_FOSTERING, ADMISSIONS)),
    ("PEP meeting", (KINSHIP_FOSTERING,)),
    # Contact with parents
    ("seeing mum and dad", (CONTACT,)),
    ("contact with birth parents", (CONTACT,)),
    ("family time", (CONTACT,)),
    ("mum turns up drunk to contact", (CONTACT,)),
    # Looking after yourself
    ("respite", (SELF_CARE, LEEDS_GROUP)),
    ("stress", (SELF_CARE, LEEDS_GROUP)),
    ("im exhausted", (SELF_CARE,)),
    ("feeling overwhelmed", (SELF_CARE, LEEDS_GROUP)),
    ("break from caring", (SELF_CARE,)),
    ("someone to talk to", (SELF_CARE, LEEDS_GROUP)),
    ("support group", (LEEDS_GROUP, SELF_CARE)),
    ("kinship carers group leeds", (LEEDS_GROUP,)),
    # Teenagers
    ("leaving care at 18", (TEENAGERS,)),
    ("what happens when she turns 18", (TEENAGERS,)),
    ("staying put", (TEENAGERS,)),
    ("college at 16", (TEENAGERS,)),
    ("apprenticeship", (TEENAGERS,)),
    ("bursary for care leavers", (TEENAGERS,)),
]

# What tests/resources/test_relevance.py requires of the search.
SUCCESS_FLOOR = 0.90


class Evaluation(NamedTuple):
    success_at_k: float  # share of queries with an expected slug in the top k
    mrr: float  # mean reciprocal rank of the first expected slug (0 when it is absent)
    failures: list[tuple[str, tuple[str, ...], list[str]]]  # (query, expected, got top k)


def first_rank(got: Sequence[str], expected: Sequence[str]) -> int | None:
    """The 1-based rank of the first expected slug in `got`, or None."""
    for rank, slug in enumerate(got, start=1):
        if slug in expected:
            return rank
    return None


def evaluate(
    search: Callable[[str], Sequence[str]],
    queries: Sequence[tuple[str, Sequence[str]]] = RELEVANCE,
    k: int = 3,
) -> Evaluation:
    """Run every query through `search(q) -> slugs in rank order` and measure it."""
    if not queries:
        raise ValueError("No queries to evaluate.")
    answered = 0
    reciprocal_ranks = 0.0
    failures = []
    for query, expected in queries:
        got = list(search(query))
        rank = first_rank(got, expected)
        if rank is not None:
            reciprocal_ranks += 1 / rank
        if rank is not None and rank <= k:
            answered += 1
        else:
            failures.append((query, tuple(expected), got[:k]))
    return Evaluation(answered / len(queries), reciprocal_ranks / len(queries), failures)


def visitor_search(q: str) -> list[str]:
    """The slugs a visitor (not signed in) gets for `q`, in rank order, in the active language."""
    from django.contrib.auth.models import AnonymousUser

    from resources.models import Resource
    from resources.selectors import resource_search

    results = resource_search(Resource.objects.visible_to(AnonymousUser()), q)
    return [resource.slug for resource in results]
