"""Reads for the resource library: search, filters, the carer's "for you" list, related resources."""

import dataclasses
import datetime
import hashlib
import json
import math

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
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
from django.utils import timezone

from core import generations
from core.choices import year_group_for
from core.fields import ChoiceSetField
from resources.models import (
    Entitlement,
    EntitlementRule,
    Resource,
    SavedResource,
    Stage,
    Topic,
    can_read_staff_only,
    normalise_query,
)
from resources.search import STOP_WORDS, WORD, search

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


def search_words(query: str) -> list[str]:
    """The words of a search that say what it is about: "how do I get financial support"
    is ["financial", "support"]. For matching other text than the library's."""
    return [word for word in WORD.findall(normalise_query(query)) if word not in STOP_WORDS]


def choice_filter(field: str, value: str) -> Q:
    return Q(**{f"{field}__contains": ChoiceSetField.lookup_value(value)})


STAGE_OF_YEAR = {
    **dict.fromkeys(["pre_school", "N", "R"], Stage.EARLY_YEARS),
    **dict.fromkeys(["1", "2"], Stage.KS1),
    **dict.fromkeys(["3", "4", "5", "6"], Stage.KS2),
    **dict.fromkeys(["7", "8", "9"], Stage.KS3),
    **dict.fromkeys(["10", "11"], Stage.KS4),
    **dict.fromkeys(["12", "13"], Stage.POST_16),
}
# How much each fit counts in "Advice for you": a topic the carer chose counts most, then
# their council's own support, then advice written for their arrangement or their
# children's ages (advice for everyone or any age counts nothing here).
FOR_YOU_WEIGHTS = {"topic": 4, "local": 3, "arrangement": 2, "stage": 2}


def stages_of(children) -> set[str]:
    """The key stages of the children a carer looks after (year group, else year of birth)."""
    today = timezone.localdate()
    stages = set()
    for child in children:
        year = child.school_year
        if not year and child.year_of_birth:
            year = year_group_for(datetime.date(child.year_of_birth, 3, 1), today)
        if year in STAGE_OF_YEAR:
            stages.add(STAGE_OF_YEAR[year])
    return stages


@dataclasses.dataclass(frozen=True)
class ForYouShape:
    """Everything "Advice for you" is ranked by, and nothing else: carers with the same
    shape get the same list, so it is ranked once per shape and library (see
    resources_for_you)."""

    topic_ids: tuple[int, ...]
    arrangement: str
    local_authority_id: int | None
    stages: tuple[str, ...]

    @classmethod
    def of(cls, profile, children=()) -> "ForYouShape":
        return cls(
            topic_ids=tuple(sorted(t.pk for t in profile.topics.all())),
            arrangement=profile.arrangement or "",
            local_authority_id=profile.local_authority_id,
            stages=tuple(sorted(stages_of(children))),
        )

    def cache_key(self, library: tuple[int, ...], length: int) -> str:
        """The key of this shape's first `length` ranked resources for the library at
        `library` (its generations). The weights are in it too, so a release that changes
        how the list is ranked starts afresh."""
        recipe = [dataclasses.astuple(self), FOR_YOU_WEIGHTS, length]
        digest = hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()
        return f"for-you:2:{'.'.join(map(str, library))}:{digest[:32]}"


# How many ranked resources are kept per shape: more than the dashboard shows, so a rule that
# leaves some out for one person (none yet) can be applied to the kept list.
FOR_YOU_RANKED = 20
# The longest a ranked list is kept: a change to the library makes a new key at once (its
# generation moves on), and a resource scheduled to go live ends the list's time sooner.
FOR_YOU_CACHE_SECONDS = 24 * 60 * 60


def _advice_for_carers(user) -> QuerySet[Resource]:
    # Advice for the carer: never staff-only, even when the carer is also staff, so the
    # list is the same for everyone with the same shape.
    return Resource.objects.visible_to(user).filter(staff_only=False)


def ranked_for_you(shape: ForYouShape, *, user=None) -> QuerySet[Resource]:
    """Every live resource that fits `shape`, best first (FOR_YOU_WEIGHTS): the ranking
    itself, with no cache. It reads the whole library: resources_for_you keeps its result."""
    weights = FOR_YOU_WEIGHTS
    visible = _advice_for_carers(user or AnonymousUser())

    def points(condition: Q, weight: int):
        return Case(
            When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField()
        )

    none = Value(0, output_field=IntegerField())
    stage_match = Q()
    for stage in shape.stages:
        stage_match |= choice_filter("stages", stage)
    topic_ids = list(shape.topic_ids)
    # At least one must fit, asked directly (fit > 0 would count every resource's shared
    # topics twice: once to filter, once to rank).
    fits = Q(pk__in=[])
    if topic_ids:
        tagged = Resource.topics.through.objects.filter(topic_id__in=topic_ids)
        fits |= Q(pk__in=tagged.values("resource_id"))
    if shape.arrangement:
        fits |= choice_filter("arrangements", shape.arrangement)
    if shape.local_authority_id:
        fits |= Q(local_authority_id=shape.local_authority_id)
    if stage_match:
        fits |= stage_match
    qs = visible.filter(fits).annotate(
        topic_fit=_shared_topics(topic_ids) * weights["topic"] if topic_ids else none,
        arrangement_fit=points(
            choice_filter("arrangements", shape.arrangement), weights["arrangement"]
        )
        if shape.arrangement
        else none,
        local_fit=points(Q(local_authority_id=shape.local_authority_id), weights["local"])
        if shape.local_authority_id
        else none,
        stage_fit=points(stage_match, weights["stage"]) if stage_match else none,
    )
    qs = qs.annotate(fit=F("topic_fit") + F("arrangement_fit") + F("local_fit") + F("stage_fit"))
    return qs.order_by("-fit", "-published_at", "-pk")


def _seconds_until(moment: datetime.datetime | None) -> int:
    if moment is None:
        return FOR_YOU_CACHE_SECONDS
    seconds = math.ceil((moment - timezone.now()).total_seconds())
    return max(1, min(FOR_YOU_CACHE_SECONDS, seconds))


def resources_for_you(*, user, profile, children=(), limit: int = 5) -> list[Resource]:
    """Advice ranked by how well it fits this carer: their topics, their council, their
    arrangement and their children's key stages (FOR_YOU_WEIGHTS); at least one must fit.

    Ranking reads the whole library, so it is done once per profile shape (ForYouShape)
    and library generation: the ranked resources, with their topics and council, are kept
    in the cache, and later requests read them from there with no query. A new profile
    shape, or any change to the library or to a council's name (core.generations
    "resources" and "site"), makes a new key.
    """
    shape = ForYouShape.of(profile, children)
    kept = max(FOR_YOU_RANKED, limit)
    key = shape.cache_key(generations.current("resources", "site"), kept)
    ranked = cache.get(key)
    if ranked is not None:
        return ranked[:limit]
    # When the first resource scheduled to go live does, this ranking is out of date: it
    # comes back with the ranking, in the same query.
    scheduled = Resource.objects.filter(
        status=Resource.Status.PUBLISHED, staff_only=False, published_at__gt=timezone.now()
    ).order_by("published_at")
    ranked = list(
        with_list_relations(ranked_for_you(shape, user=user)).annotate(
            next_live_at=Subquery(scheduled.values("published_at")[:1])
        )[:kept]
    )
    if ranked:  # nothing fits: rare, and unknown when something will, so not kept
        timeout = _seconds_until(ranked[0].next_live_at)
        cache.set(key, ranked, timeout)
    return ranked[:limit]


def saved_resources_for(user) -> list[Resource]:
    saved = SavedResource.objects.filter(user=user).values("resource_id")
    return list(
        with_list_relations(Resource.objects.visible_to(user).filter(pk__in=saved)).order_by(
            "title"
        )
    )


def ranked_related(*, resource: Resource, user) -> QuerySet[Resource]:
    """Resources sharing a topic with `resource`, most shared topics first: the ranking
    itself, with no cache. A topic may hold a quarter of the library."""
    topic_ids = [t.pk for t in resource.topics.all()]
    tagged = Resource.topics.through.objects.filter(topic_id__in=topic_ids)
    return (
        Resource.objects.visible_to(user)
        .filter(pk__in=tagged.values("resource_id"))
        .exclude(pk=resource.pk)
        .defer(*NOT_IN_LISTS)
        .annotate(shared=_shared_topics(topic_ids))
        .order_by("-shared", "-published_at", "-pk")
    )


def related_resources(*, resource: Resource, user, limit: int = 4) -> list[Resource]:
    """The resource page's "Related" list, ranked once per resource and library generation
    (core.generations "resources"): later pages fetch the kept ids in one query, as
    resources_for_you does. Staff, who may read staff-only guides, have a list of their own."""
    if not resource.topics.all():
        return []
    staff = can_read_staff_only(user)
    (library,) = generations.current("resources")
    key = f"related:{resource.pk}:{int(staff)}:{limit}:{library}"
    ids = cache.get(key)
    if ids is not None:
        found = Resource.objects.visible_to(user).filter(pk__in=ids).defer(*NOT_IN_LISTS)
        by_id = {related.pk: related for related in found}
        return [by_id[pk] for pk in ids if pk in by_id]
    scheduled = Resource.objects.filter(
        status=Resource.Status.PUBLISHED, published_at__gt=timezone.now()
    ).order_by("published_at")
    ranked = list(
        ranked_related(resource=resource, user=user).annotate(
            next_live_at=Subquery(scheduled.values("published_at")[:1])
        )[:limit]
    )
    if ranked:
        # Kept until the next scheduled guide goes live, which no change announces.
        cache.set(key, [r.pk for r in ranked], _seconds_until(ranked[0].next_live_at))
    return ranked


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


def is_local_offer_entitlement(entitlement: Entitlement) -> bool:
    """The entitlement that sends people to their council's kinship local offer (the starter
    "Your council's kinship local offer"): where the portal has the council's offer, the help
    checker shows the offer itself in its place."""
    return "local offer" in entitlement.name.lower()
