"""Which councils have a kinship local offer on the portal: published, published but overdue
for review, a draft, or none. For content admins (the coverage report in admin)."""

import dataclasses
import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localoffer.models import LocalOffer
from schools.models import LocalAuthority


class OfferState(models.TextChoices):
    """Each council is in exactly one state, so the totals add up to every council."""

    PUBLISHED = "published", _("Published")
    OVERDUE = "overdue", _("Published, overdue for review")
    DRAFT = "draft", _("Draft")
    NONE = "none", _("No offer")


def offer_state(offer: LocalOffer | None, today: datetime.date) -> OfferState:
    if offer is None:
        return OfferState.NONE
    if not offer.is_published:
        return OfferState.DRAFT
    if offer.review_due_on is not None and offer.review_due_on < today:
        return OfferState.OVERDUE
    return OfferState.PUBLISHED


@dataclasses.dataclass(frozen=True)
class CouncilCoverage:
    council: LocalAuthority
    offer: LocalOffer | None
    state: OfferState


@dataclasses.dataclass(frozen=True)
class Coverage:
    councils: list[CouncilCoverage]  # every council in England and Wales, by name
    totals: dict[OfferState, int]  # every state, in OfferState's order, zeros included

    def in_state(self, state: str | None) -> list[CouncilCoverage]:
        """The councils in one state; all of them for no state or one that does not exist."""
        if state not in OfferState.values:
            return self.councils
        return [row for row in self.councils if row.state == state]


def coverage(today: datetime.date | None = None) -> Coverage:
    """Every council with its offer's state, and how many councils are in each state.
    One query, whatever the number of councils: each council with its offer, if any,
    joined through the reverse one-to-one."""
    today = today or timezone.localdate()
    councils = LocalAuthority.objects.select_related("local_offer").order_by("name", "pk")
    rows = []
    for council in councils:
        # With select_related, a council without an offer raises here without a query.
        offer = getattr(council, "local_offer", None)
        rows.append(CouncilCoverage(council=council, offer=offer, state=offer_state(offer, today)))
    totals = dict.fromkeys(OfferState, 0)
    for row in rows:
        totals[row.state] += 1
    return Coverage(councils=rows, totals=totals)
