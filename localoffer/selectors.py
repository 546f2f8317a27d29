"""Reads for the local offer pages, with their related rows already fetched."""

import dataclasses

from django.core.cache import cache
from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import generations
from core.fields import ChoiceSetField
from core.i18n import is_welsh
from events.models import Event
from localoffer.models import GroupTheme, LocalOffer, LocalOfferSection, SectionKind, SupportGroup

# What every section is part of, and every group is: a search for these words finds them all.
OFFER_LABEL = _("Kinship local offer")
GROUP_LABEL = SectionKind.SUPPORT_GROUPS.label


def offers_published() -> QuerySet[LocalOffer]:
    """Published offers, by council name, for the "choose your council" list."""
    return LocalOffer.objects.published().select_related("local_authority")


def groups_for_listing(queryset: QuerySet[SupportGroup] | None = None) -> QuerySet[SupportGroup]:
    """Published groups with their council and the group's upcoming portal events."""
    queryset = SupportGroup.objects.all() if queryset is None else queryset
    upcoming = Event.objects.upcoming(timezone.now()).exclude(status=Event.Status.CANCELLED)
    return (
        queryset.published()
        .select_related("local_authority")
        .prefetch_related(
            Prefetch("events", queryset=upcoming.order_by("starts_at"), to_attr="upcoming_events")
        )
    )


def offer_for_page(slug: str) -> LocalOffer:
    """A published offer, its sections in the statutory order and its council's groups.
    A draft or a missing offer raises LocalOffer.DoesNotExist (the page answers 404)."""
    offer = offers_published().get(slug=slug)
    offer.section_list = list(LocalOfferSection.objects.filter(offer=offer).order_by("position"))
    offer.group_list = list(
        groups_for_listing(SupportGroup.objects.filter(local_authority=offer.local_authority_id))
    )
    return offer


# How long a council's offer is kept: any change to an offer or a council's name makes a
# new key at once (core.generations "localoffer" and "site"); this only lets old keys go.
OFFER_CACHE_SECONDS = 24 * 60 * 60


def offer_for_council(local_authority_id: int | None) -> LocalOffer | None:
    """A council's published offer with its council, its sections in the statutory order
    (`section_list`) and its contacts section (`contacts`, or None): for a carer's dashboard
    and the help checker. None when the council has no offer or only a draft.

    Kept in the cache under the council and the "localoffer" and "site" generations, so
    every carer of a council reads the same copy, with no query, until the offer changes."""
    if local_authority_id is None:
        return None
    versions = ".".join(map(str, generations.current("localoffer", "site")))
    key = f"council-offer:1:{versions}:{local_authority_id}"
    kept = cache.get(key)
    if kept is not None:
        return kept or None  # False: the council has no published offer
    in_order = LocalOfferSection.objects.order_by("position")
    offer = next(
        iter(
            offers_published()
            .filter(local_authority_id=local_authority_id)
            .prefetch_related(Prefetch("sections", queryset=in_order, to_attr="section_list"))[:1]
        ),
        None,
    )
    if offer is not None:
        offer.contacts = next(
            (s for s in offer.section_list if s.kind == SectionKind.CONTACTS), None
        )
    cache.set(key, offer if offer is not None else False, OFFER_CACHE_SECONDS)
    return offer


@dataclasses.dataclass
class OfferMatches:
    """What site search found in published offers and groups."""

    sections: list[LocalOfferSection] = dataclasses.field(default_factory=list)
    groups: list[SupportGroup] = dataclasses.field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sections or self.groups)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _names(word: str, label) -> bool:
    """Whether a word someone searched for is one of a label's words, in the page's language
    or in English: "group" and "groups" name "Support groups", and so does "supp"."""
    texts = [str(label)]
    with translation.override("en"):
        texts.append(str(label))
    for text in texts:
        for label_word in text.lower().split():
            if _singular(label_word) == _singular(word):
                return True
            if len(word) >= 4 and label_word.startswith(word):
                return True
    return False


def search_offers_and_groups(words: list[str], *, limit: int = 5) -> OfferMatches:
    """Sections of published offers and published support groups that have every word
    (case-insensitively) in their text, their title, their council's name or what they
    are ("local offer", "support groups"), for site search: two queries, up to `limit` of
    each, those whose title has every word first. On a Welsh page the Welsh text counts too.

    `words` are the words that matter in what was searched for (no "how", "the"…)."""
    words = [w.lower() for w in words if w.strip()]
    if not words:
        return OfferMatches()
    welsh = is_welsh()
    sections_match, titles_match = Q(), Q()
    groups_match, names_match = Q(), Q()
    for word in words:
        kinds = [kind for kind, label in SectionKind.choices if _names(word, label)]
        themes = [theme for theme, label in GroupTheme.choices if _names(word, label)]
        titled = Q(kind__in=kinds)
        in_section = (
            titled
            | Q(body__icontains=word)
            | Q(link_text__icontains=word)
            | Q(offer__local_authority__name__icontains=word)
        )
        named = Q(name__icontains=word)
        in_group = (
            named
            | Q(description__icontains=word)
            | Q(run_by__icontains=word)
            | Q(local_authority__name__icontains=word)
        )
        for theme in themes:
            in_group |= Q(themes__contains=ChoiceSetField.lookup_value(theme))
        if welsh:
            in_section |= Q(body_cy__icontains=word) | Q(link_text_cy__icontains=word)
            named |= Q(name_cy__icontains=word)
            in_group |= named | Q(description_cy__icontains=word)
        # Every section is part of a kinship local offer and every group a support group:
        # "Leeds local offer" or "support group for grandparents" find them.
        if _names(word, OFFER_LABEL):
            in_section = Q()
        if _names(word, GROUP_LABEL):
            in_group = Q()
        sections_match &= in_section
        titles_match &= titled
        groups_match &= in_group
        names_match &= named
    sections = (
        LocalOfferSection.objects.filter(sections_match, offer__status=LocalOffer.Status.PUBLISHED)
        .select_related("offer__local_authority")
        .annotate(titled=Case(When(titles_match, then=1), default=0))
        .order_by("-titled", "offer__local_authority__name", "position")[:limit]
    )
    groups = (
        SupportGroup.objects.published()
        .filter(groups_match)
        .select_related("local_authority")
        .annotate(named=Case(When(names_match, then=1), default=0))
        .order_by("-named", "name", "pk")[:limit]
    )
    return OfferMatches(sections=list(sections), groups=list(groups))
