from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django_ratelimit.decorators import ratelimit

from core.pagecache import every_time, public_page
from core.ratelimits import rate_from_setting
from localoffer import selectors as localoffer_selectors
from resources import selectors, services
from resources.filters import ResourceFilter
from resources.forms import FeedbackForm, HelpCheckerForm
from resources.models import Resource, SavedResource, Topic

PAGE_SIZE = 20


@public_page("resources", "localoffer", "site")  # what matches in local offers is shown too
class ResourceListView(TemplateView):
    """The library: search, filters that combine, a count, sorting and pagination."""

    template_name = "resources/list.html"

    def get_context_data(self, **kwargs):
        base = selectors.with_list_relations(Resource.objects.visible_to(self.request.user))
        filterset = ResourceFilter(self.request.GET or None, queryset=base)
        results = filterset.qs if filterset.is_bound else base
        paginator = Paginator(results, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        outcome = getattr(filterset, "search_outcome", None)
        best_bets = outcome.best_bets if outcome and page.number == 1 else []
        from_local_offers = None
        if outcome and outcome.query and page.number == 1:
            # Counted also when the page comes from the cache.
            every_time(
                self.request,
                services.search_counted,
                outcome.query,
                paginator.count + len(best_bets),
            )
            # Councils' local offers and support groups are not in the library: what matches
            # is shown beside its results.
            from_local_offers = localoffer_selectors.search_offers_and_groups(
                selectors.search_words(outcome.query)
            )
        active = {
            name: value
            for name, value in (filterset.form.cleaned_data.items() if filterset.is_bound else [])
            if value and name not in ("sort",)
        }
        applied_filters = [
            {"label": label, "value": value, "remove_url": self._without(name)}
            for name, label, value in filterset.applied()
        ]
        return super().get_context_data(
            filter=filterset,
            form=filterset.form,
            applied_filters=applied_filters,
            # On phones the filters are behind a toggle, closed so that results come first;
            # open when a filter was rejected, so its error shows beside it.
            filters_open=any(
                filterset.form[name].errors for name in (*ResourceFilter.FILTERS, "sort")
            ),
            page_obj=page,
            paginator=paginator,
            resources=page.object_list,
            query=self.request.GET.get("q", "").strip(),
            best_bets=best_bets,
            did_you_mean=outcome.did_you_mean if outcome else "",
            from_local_offers=from_local_offers,
            filtering=bool(active),
            **kwargs,
        )

    def _without(self, name: str) -> str:
        """This page's address without one filter, from the first page of results."""
        params = self.request.GET.copy()
        params.pop(name, None)
        params.pop("page", None)
        return f"?{params.urlencode()}" if params else self.request.path


class ResourceMixin:
    def get_resource(self) -> Resource:
        """Live resources the person may see; content admins may preview anything."""
        user = self.request.user
        qs = Resource.objects.select_related("local_authority").prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name"))
        )
        if user.is_authenticated and user.is_staff:
            return get_object_or_404(qs, slug=self.kwargs["slug"])
        return get_object_or_404(qs.visible_to(user), slug=self.kwargs["slug"])


@public_page("resources", "site")
class ResourceDetailView(ResourceMixin, TemplateView):
    template_name = "resources/detail.html"

    def get_context_data(self, **kwargs):
        resource = self.get_resource()
        user = self.request.user
        if searched := self.request.GET.get("searched", ""):
            # Counts only a search made today; also when the page comes from the cache.
            every_time(self.request, services.search_result_opened, searched)
        saved = (
            user.is_authenticated
            and SavedResource.objects.filter(user=user, resource=resource).exists()
        )
        return super().get_context_data(
            resource=resource,
            preview=not resource.is_live(),
            related=selectors.related_resources(resource=resource, user=user),
            saved=saved,
            feedback_form=kwargs.pop("feedback_form", None) or FeedbackForm(),
            feedback_sent=self.request.GET.get("feedback") == "sent",
            **kwargs,
        )


class ResourceDownloadView(ResourceMixin, View):
    """Files are served only through here, so an unpublished resource's file cannot be fetched."""

    def get(self, request, *args, **kwargs):
        resource = self.get_resource()
        if not resource.file:
            raise Http404
        try:
            handle = resource.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        filename = f"{resource.slug}.{resource.file.name.rsplit('.', 1)[-1].lower()}"
        return FileResponse(handle, as_attachment=True, filename=filename)


# No CSRF token: the form is on every visitor's copy of the resource page, which is one
# cached page for all (core.pagecache), and a per-visitor token would make it one visitor's
# own. A forged post could do nothing its sender cannot do directly: feedback is anonymous
# (the resource, useful or not, a comment: no person, no session), open to everyone, and
# rate-limited.
@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(
    ratelimit(
        key="user_or_ip", rate=rate_from_setting("FEEDBACK_RATE_LIMIT"), method="POST", block=False
    ),
    name="post",
)
class ResourceFeedbackView(ResourceMixin, TemplateView):
    template_name = "resources/detail.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        resource = self.get_resource()
        form = FeedbackForm(request.POST)
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(
                None, _("You have sent feedback too many times. Wait an hour, then try again.")
            )
        if not form.is_valid():
            view = ResourceDetailView(request=request, kwargs=self.kwargs, args=())
            context = view.get_context_data(feedback_form=form)
            return view.render_to_response(context)
        services.feedback_create(
            resource=resource,
            useful=form.cleaned_data["useful"],
            comment=form.cleaned_data["comment"],
        )
        return redirect(f"{resource.get_absolute_url()}?feedback=sent#feedback")


class ResourceSaveView(LoginRequiredMixin, ResourceMixin, View):
    """Save or unsave a resource (POST action=save|unsave)."""

    def post(self, request, *args, **kwargs):
        resource = self.get_resource()
        if not resource.is_live():
            raise Http404
        if request.POST.get("action") == "unsave":
            services.resource_unsave_for_user(user=request.user, resource=resource)
            messages.success(
                request,
                _("“%(title)s” has been removed from your saved resources.")
                % {"title": resource.title},
            )
        else:
            services.resource_save_for_user(user=request.user, resource=resource)
            messages.success(
                request,
                _("“%(title)s” has been saved. You can find it on your dashboard.")
                % {"title": resource.title},
            )
        return redirect(resource.get_absolute_url())


class HelpCheckerView(TemplateView):
    """'What help can I get?': four questions, then the support that may apply."""

    template_name = "resources/help_checker.html"

    def _initial(self) -> dict:
        """A signed-in carer's council is chosen for her, until she answers."""
        user = self.request.user
        if self.request.GET or not user.is_authenticated:
            return {}
        profile = getattr(user, "carer_profile", None)  # staff and professionals have none
        return {"local_authority": profile.local_authority_id} if profile else {}

    def get_context_data(self, **kwargs):
        submitted = bool(self.request.GET)
        form = HelpCheckerForm(self.request.GET or None, initial=self._initial())
        results = local_offer = None
        offer_in_results = False
        if submitted and form.is_valid():
            results = selectors.entitlements_matching(user=self.request.user, **form.cleaned_data)
            # The offer of the council they live in, if it is published on the portal: shown
            # in place of the advice to look for it on the council's website.
            local_offer = localoffer_selectors.offer_for_council(
                form.cleaned_data["local_authority"].pk
            )
            for entitlement in results:  # the first, should curators add a second
                entitlement.is_local_offer = (
                    not offer_in_results and selectors.is_local_offer_entitlement(entitlement)
                )
                offer_in_results = offer_in_results or entitlement.is_local_offer
        return super().get_context_data(
            form=form,
            results=results,
            local_offer=local_offer,
            offer_in_results=offer_in_results,
            **kwargs,
        )
