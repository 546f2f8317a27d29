"""What the local offer adds to the staff morning summary: a Virtual School head hears when
their council's published kinship local offer is overdue for review.

Only heads: officers and read-only staff do not keep the offer. A council with no published
offer is not mentioned: that would send the head an e-mail every morning about something
the Virtual School may not own (the coverage report in admin shows those councils).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import absolute_url
from core.notify import summary_section
from core.templatetags.portal import govuk_date
from localoffer.models import LocalOffer


@summary_section
def local_offer_review_overdue(membership) -> dict | None:
    """The head's council's published offer, if its review date has passed. One query."""
    if not membership.is_head:
        return None
    offer = (
        LocalOffer.objects.published()
        .filter(
            local_authority__virtual_school=membership.virtual_school_id,
            review_due_on__lt=timezone.localdate(),
        )
        .select_related("local_authority")
        .first()
    )
    if offer is None:
        return None
    # A head who edits the offer goes straight to it; otherwise to the page carers see.
    page = offer.get_editor_url() if membership.edits_local_offer else offer.get_absolute_url()
    text = _("The kinship local offer for %(council)s was due for review on %(date)s") % {
        "council": offer.local_authority.name,
        "date": govuk_date(offer.review_due_on),
    }
    return {
        "title": _("Your council's kinship local offer"),
        "items": [{"text": text, "url": absolute_url(page)}],
        "url": absolute_url(page),
    }
