"""Visitors' local offer pages are answered from the cache (core.pagecache) while the
"localoffer" generation stays the same: every change to what they show bumps it once it
commits. An offer (its details, status, sections) and a support group (its details, whether
it is published, the portal events it lists) show on the offer pages, the list of groups
and beside the library's search results.

Model signals see every save and delete, whoever makes them (the editors' services, admin,
the demo data). Bumping too often costs a page built again; too seldom, a stale page."""

from core import generations
from localoffer.models import LocalOffer, LocalOfferSection, SupportGroup


def connect() -> None:
    generations.bump_on_change(
        "localoffer",
        models=(LocalOffer, LocalOfferSection, SupportGroup),
        through=(SupportGroup.events.through,),
    )
