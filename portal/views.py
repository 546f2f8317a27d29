"""Pages that gather several apps: the home page and the carer's dashboard."""

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.views.generic import TemplateView

from carers import selectors
from carers.mixins import CarerRequiredMixin
from core.mail import absolute_url
from core.pagecache import public_page
from events import selectors as event_selectors
from events.models import Event
from localoffer import selectors as localoffer_selectors
from portal.retention import retention_notice, retention_period
from resources import selectors as resource_selectors
from resources.models import Resource


class PrivacyView(TemplateView):
    """The privacy notice, with the retention schedule this deployment actually uses."""

    template_name = "portal/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            retention=retention_notice(),
            # How long an unused account is kept, said again where professionals read.
            account_period=retention_period("inactive_carers"),
            **kwargs,
        )


@public_page("resources", "events", "places", "site")
class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        featured = Resource.objects.visible_to(self.request.user).filter(featured=True)[:3]
        upcoming = (
            Event.objects.upcoming().filter(status=Event.Status.PUBLISHED).order_by("starts_at")[:3]
        )
        return super().get_context_data(
            featured_resources=list(featured),
            resources_url=reverse("resources:list"),
            upcoming_events=list(upcoming),
            events_url=reverse("events:list"),
            **kwargs,
        )


class DashboardView(CarerRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        profile = self.profile
        prefetch_related_objects([profile], "topics")
        user = self.request.user
        children = list(selectors.children_for(profile))
        feed_url = absolute_url(reverse("events:feed", args=[profile.calendar_token]))
        return super().get_context_data(
            profile=profile,
            children=children,
            for_you=resource_selectors.resources_for_you(
                user=user, profile=profile, children=children
            ),
            bookings=event_selectors.bookings_for_dashboard(user),
            advice_requests=list(user.advice_requests.order_by("-created_at")[:5]),
            feed_url=feed_url,
            # The same address with the scheme that opens a calendar app to subscribe to it.
            webcal_url="webcal://" + feed_url.split("://", 1)[-1],
            saved_resources=resource_selectors.saved_resources_for(user),
            virtual_school=getattr(profile.local_authority, "virtual_school", None),
            local_offer=localoffer_selectors.offer_for_council(profile.local_authority_id),
            **kwargs,
        )
