import datetime

import factory
from django.utils import timezone

from localoffer.models import LocalOffer, LocalOfferSection, SectionKind, SupportGroup
from tests.factories import local_authority

LEEDS = "E08000035"
KENT = "E10000016"


class LocalOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalOffer

    local_authority = factory.LazyFunction(local_authority)
    status = LocalOffer.Status.PUBLISHED
    intro = "Help for family and friends who bring up a child."
    intro_cy = "Help i deulu a ffrindiau sy'n magu plentyn."
    last_reviewed_on = datetime.date(2026, 9, 1)
    review_due_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=180)
    )


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalOfferSection

    offer = factory.SubFactory(LocalOfferFactory)
    kind = SectionKind.FINANCIAL
    body = "You may get a **special guardianship allowance**."
    body_cy = "Efallai y cewch **lwfans gwarcheidiaeth arbennig**."


class SupportGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportGroup

    name = factory.Sequence(lambda n: f"Kinship carers' group {n}")
    name_cy = factory.Sequence(lambda n: f"Grŵp gofalwyr sy'n berthnasau {n}")
    description = "Tea, a chat and advice from people who understand."
    description_cy = "Paned, sgwrs a chyngor gan bobl sy'n deall."
    local_authority = factory.LazyFunction(local_authority)
    format = "in_person"
    published = True


def full_offer(gss: str = LEEDS, **kwargs) -> LocalOffer:
    """An offer with every section, written in reverse order to prove the page orders them."""
    offer = LocalOfferFactory(local_authority=local_authority(gss), **kwargs)
    for kind in reversed(SectionKind.values):
        SectionFactory(offer=offer, kind=kind, body=f"About {kind}.", body_cy=f"Am {kind}.")
    return offer
