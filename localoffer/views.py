from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from core.pagecache import public_page
from localoffer import selectors
from localoffer.filters import SupportGroupFilter
from localoffer.models import LocalOffer, SupportGroup

PAGE_SIZE = 20


def _own_council(user):
    """The council a signed-in carer told us she lives in, or None."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "carer_profile", None)  # no profile: a staff member, say
    return profile.local_authority if profile is not None else None


@public_page("localoffer", "site")
class ChooseCouncilView(TemplateView):
    """Councils with a published offer; a carer's own council first."""

    template_name = "localoffer/choose.html"

    def get_context_data(self, **kwargs):
        offers = list(selectors.offers_published())
        own = _own_council(self.request.user)
        own_offer = next((o for o in offers if own and o.local_authority_id == own.pk), None)
        return super().get_context_data(
            offers=offers, own_council=own, own_offer=own_offer, **kwargs
        )


# Shows each group's upcoming events on the portal, as the list of groups does.
@public_page("localoffer", "events", "places", "site")
class LocalOfferView(TemplateView):
    template_name = "localoffer/detail.html"

    def get_context_data(self, **kwargs):
        try:
            offer = selectors.offer_for_page(self.kwargs["slug"])
        except LocalOffer.DoesNotExist:
            raise Http404 from None
        return super().get_context_data(offer=offer, **kwargs)


@public_page("localoffer", "events", "places", "site")
class SupportGroupListView(TemplateView):
    template_name = "localoffer/groups.html"

    def get_context_data(self, **kwargs):
        base = selectors.groups_for_listing(SupportGroup.objects.all())
        filterset = SupportGroupFilter(self.request.GET or None, queryset=base)
        results = filterset.qs if filterset.is_bound else base
        page = Paginator(results.order_by("name", "pk"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        filtering = filterset.is_bound and any(filterset.form.cleaned_data.values())
        return super().get_context_data(
            form=filterset.form,
            page_obj=page,
            groups=page.object_list,
            filtering=filtering,
            **kwargs,
        )
