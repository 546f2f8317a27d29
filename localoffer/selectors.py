"""Reads for the local offer pages, with their related rows already fetched."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from events.models import Event
from localoffer.models import LocalOffer, LocalOfferSection, SupportGroup


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
