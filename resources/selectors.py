"""Reads for the resource library: search, filters, the carer's "for you" list, related resources."""

import datetime

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

from core.choices import year_group_for
from core.fields import ChoiceSetField
from resources.models import (
    Entitlement,
    EntitlementRule,
    Resource,
    SavedResource,
    Stage,
    Topic,
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


def resources_for_you(*, user, profile, children=(), limit: int = 5) -> list[Resource]:
    """Advice ranked by how well it fits this carer: their topics, their council, their
    arrangement and their children's key stages (FOR_YOU_WEIGHTS); at least one must fit."""
    weights = FOR_YOU_WEIGHTS
    topic_ids = [t.pk for t in profile.topics.all()]
    # Advice for the carer: never staff-only, even when the carer is also staff.
    visible = Resource.objects.visible_to(user).filter(staff_only=False)

    def points(condition: Q, weight: int):
        return Case(
            When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField()
        )

    none = Value(0, output_field=IntegerField())
    stage_match = Q()
    for stage in stages_of(children):
        stage_match |= choice_filter("stages", stage)
    qs = visible.annotate(
        topic_fit=_shared_topics(topic_ids) * weights["topic"] if topic_ids else none,
        arrangement_fit=points(
            choice_filter("arrangements", profile.arrangement), weights["arrangement"]
        )
        if profile.arrangement
        else none,
        local_fit=points(Q(local_authority_id=profile.local_authority_id), weights["local"])
        if profile.local_authority_id
        else none,
        stage_fit=points(stage_match, weights["stage"]) if stage_match else none,
    )
    qs = qs.annotate(
        fit=F("topic_fit") + F("arrangement_fit") + F("local_fit") + F("stage_fit")
    ).filter(fit__gt=0)
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


def is_local_offer_entitlement(entitlement: Entitlement) -> bool:
    """The entitlement that sends people to their council's kinship local offer (the starter
    "Your council's kinship local offer"): where the portal has the council's offer, the help
    checker shows the offer itself in its place."""
    return "local offer" in entitlement.name.lower()
