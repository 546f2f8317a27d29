"""Reads for the resource library: search, filters, the carer's "for you" list, related resources."""

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
from django.db.models.functions import Coalesce

from core.fields import ChoiceSetField
from resources.models import Entitlement, EntitlementRule, Resource, SavedResource, Topic
from resources.search import search

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
    """`qs` matched and ranked for `q` (resources.search: synonyms, all words then any word,
    typo correction, English and on Welsh pages Welsh)."""
    return search(qs, q, best_bets=False).results


def choice_filter(field: str, value: str) -> Q:
    return Q(**{f"{field}__contains": ChoiceSetField.lookup_value(value)})


def resources_for_you(*, user, profile, limit: int = 5) -> list[Resource]:
    """Resources that fit the carer's arrangement, topics and area come first."""
    topic_ids = [t.pk for t in profile.topics.all()]
    # Advice for the carer: never staff-only, even when the carer is also staff.
    visible = Resource.objects.visible_to(user).filter(staff_only=False)
    qs = visible.annotate(
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
