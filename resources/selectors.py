"""Reads for the resource library: search, filters, the carer's "for you" list, related resources."""

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from core.fields import ChoiceSetField
from core.i18n import is_welsh
from resources.models import Entitlement, EntitlementRule, Resource, SavedResource, Topic

# Weights for D, C, B, A: the title (A) counts five times the body (C).
SEARCH_WEIGHTS = [0.05, 0.2, 0.4, 1.0]


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


# Lists show a title, a summary and tags: the body and the search index stay in the database.
NOT_IN_LISTS = (
    "body",
    "body_html",
    "search_vector",
    "body_cy",
    "body_html_cy",
    "search_vector_cy",
)


def with_list_relations(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    return (
        qs.defer(*NOT_IN_LISTS)
        .select_related("local_authority")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )


def _shared_topics(topic_ids: list[int]):
    """How many of `topic_ids` a resource has: one index lookup per row, no GROUP BY of wide rows."""
    tagged = Resource.topics.through.objects.filter(
        resource_id=OuterRef("pk"), topic_id__in=topic_ids
    )
    return Coalesce(
        Subquery(tagged.values("resource_id").annotate(n=Count("*")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def resource_search(qs: QuerySet[Resource], q: str) -> QuerySet[Resource]:
    """Match and rank `q`.

    PostgreSQL: full-text search with the 'english' stemmer, the title weighing most, then
    the summary, then the body. Only when nothing matches does it fall back to trigram
    word similarity on titles, so "guardianshp" still finds special guardianship. Both
    use GIN indexes (migration 0004). SQLite: every word must appear somewhere, and title
    matches rank first.

    On a Welsh page the Welsh text is searched as well as the English (people mix them):
    on PostgreSQL through its own index, search_vector_cy (the portal_welsh configuration,
    migration 0007); a resource matches in either language and ranks by the better.
    """
    q = " ".join(q.split())[:200]
    if not q:
        return qs
    welsh = is_welsh()
    if _is_postgres():
        query = SearchQuery(q, config="english", search_type="websearch")
        match = Q(search_vector=query)
        score = SearchRank(F("search_vector"), query, weights=SEARCH_WEIGHTS)
        if welsh:
            query_cy = SearchQuery(q, config="portal_welsh", search_type="websearch")
            match |= Q(search_vector_cy=query_cy)
            score = Greatest(
                score, SearchRank(F("search_vector_cy"), query_cy, weights=SEARCH_WEIGHTS)
            )
        # Asked of the index alone: with the other conditions added, the planner may scan
        # every row to prove there is no match.
        if Resource.objects.filter(match).exists():
            return qs.filter(match).annotate(score=score).order_by("-score", "-published_at", "-pk")
        similar = Q(title__trigram_word_similar=q)
        similarity = TrigramWordSimilarity(q, "title")
        if welsh:
            similar |= Q(title_cy__trigram_word_similar=q)
            similarity = Greatest(similarity, TrigramWordSimilarity(q, "title_cy"))
        return (
            qs.filter(similar).annotate(score=similarity).order_by("-score", "-published_at", "-pk")
        )
    titles, summaries, bodies = ["title"], ["summary"], ["body"]
    if welsh:
        titles, summaries, bodies = (
            [*titles, "title_cy"],
            [*summaries, "summary_cy"],
            [*bodies, "body_cy"],
        )
    words = q.split()

    def anywhere(fields, word) -> Q:
        found = Q()
        for field in fields:
            found |= Q(**{f"{field}__icontains": word})
        return found

    match = Q()
    for word in words:
        match &= anywhere([*titles, *summaries, *bodies], word)
    title_hits = sum(
        (Case(When(anywhere(titles, w), then=Value(4)), default=Value(0)) for w in words), Value(0)
    )
    summary_hits = sum(
        (Case(When(anywhere(summaries, w), then=Value(2)), default=Value(0)) for w in words),
        Value(0),
    )
    return (
        qs.filter(match)
        .annotate(score=title_hits + summary_hits)
        .order_by("-score", "-published_at", "-pk")
    )


def choice_filter(field: str, value: str) -> Q:
    return Q(**{f"{field}__contains": ChoiceSetField.lookup_value(value)})


def resources_for_you(*, user, profile, limit: int = 5) -> list[Resource]:
    """Resources that fit the carer's arrangement, topics and area come first."""
    topic_ids = [t.pk for t in profile.topics.all()]
    qs = Resource.objects.visible_to(user).annotate(
        shared_topics=Count("topics", filter=Q(topics__in=topic_ids), distinct=True),
        fits_arrangement=Case(
            When(choice_filter("arrangements", profile.arrangement), then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if profile.arrangement
        else Value(0, output_field=IntegerField()),
        local=Case(
            When(local_authority_id=profile.local_authority_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )
    qs = qs.annotate(fit=F("shared_topics") + F("fits_arrangement") + F("local")).filter(fit__gt=0)
    return list(with_list_relations(qs.order_by("-fit", "-published_at", "-pk"))[:limit])


def saved_resources_for(user) -> list[Resource]:
    saved = SavedResource.objects.filter(user=user).values("resource_id")
    return list(
        with_list_relations(Resource.objects.visible_to(user).filter(pk__in=saved)).order_by(
            "title"
        )
    )


def related_resources(*, resource: Resource, user, limit: int = 4) -> list[Resource]:
    topic_ids = [t.pk for t in resource.topics.all()]
    if not topic_ids:
        return []
    tagged = Resource.topics.through.objects.filter(topic_id__in=topic_ids)
    return list(
        Resource.objects.visible_to(user)
        .filter(pk__in=tagged.values("resource_id"))
        .exclude(pk=resource.pk)
        .defer(*NOT_IN_LISTS)
        .annotate(shared=_shared_topics(topic_ids))
        .order_by("-shared", "-published_at", "-pk")[:limit]
    )


def entitlements_matching(
    *, arrangement: str, looked_after: str, stage: str, local_authority, user
) -> list[Entitlement]:
    """Entitlements with at least one rule whose every set condition fits the answers."""
    looked_after_fits = Q(ever_looked_after=EntitlementRule.LookedAfter.ANY)
    if looked_after in (EntitlementRule.LookedAfter.YES, EntitlementRule.LookedAfter.NO):
        looked_after_fits |= Q(ever_looked_after=looked_after)
    else:  # "not sure": show what may apply either way
        looked_after_fits = Q()
    rules = EntitlementRule.objects.filter(
        Q(arrangements="") | choice_filter("arrangements", arrangement),
        looked_after_fits,
        Q(stages="") | choice_filter("stages", stage),
        Q(nation="") | Q(nation=local_authority.nation),
        Q(local_authority__isnull=True) | Q(local_authority=local_authority),
    )
    visible = with_list_relations(Resource.objects.visible_to(user)).order_by("title")
    return list(
        Entitlement.objects.filter(pk__in=rules.values("entitlement_id")).prefetch_related(
            Prefetch("resources", queryset=visible, to_attr="visible_resources")
        )
    )
