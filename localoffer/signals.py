"""Visitors' local offer pages are answered from the cache (core.pagecache) while the
"localoffer" generation stays the same: every change to what they show bumps it once it
commits. An offer (its details, status, sections) and a support group (its details, whether
it is published, the portal events it lists) show on the offer pages, the list of groups
and beside the library's search results.

Model signals see every save and delete, whoever makes them (the editors' services, admin,
the demo data). Bumping too often costs a page built again; too seldom, a stale page."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core import generations
from localoffer.models import LocalOffer, LocalOfferSection, SupportGroup

SHOWN = (LocalOffer, LocalOfferSection, SupportGroup)


def local_offers_changed(**kwargs) -> None:
    generations.bump("localoffer")


def group_events_changed(action: str, **kwargs) -> None:
    if action.startswith("post_"):
        generations.bump("localoffer")


def connect() -> None:
    for model in SHOWN:
        label = model._meta.label_lower
        post_save.connect(
            local_offers_changed, sender=model, dispatch_uid=f"generations-{label}-save"
        )
        post_delete.connect(
            local_offers_changed, sender=model, dispatch_uid=f"generations-{label}-delete"
        )
    m2m_changed.connect(
        group_events_changed,
        sender=SupportGroup.events.through,
        dispatch_uid="generations-supportgroup-events",
    )
