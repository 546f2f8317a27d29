"""The council's own editors keep its local offer, at /school/local-offer/.

Only Virtual School staff a head has made "local offer editor" may use these pages (MFA
first: they are under /school/, see accounts.middleware), and only for their own council:
each page loads the offer through `own_offer_or_404`, so another council's offer is a 404.
Content admins change any council's offer in Django admin."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from localoffer import services
from localoffer.forms import OfferDetailsForm, OfferStatusForm, SectionForm
from localoffer.models import LocalOffer, LocalOfferChange, LocalOfferSection, SectionKind

HISTORY_PAGE_SIZE = 20


class OfferEditorRequiredMixin(LoginRequiredMixin):
    """Local offer editors of a Virtual School, for their own council only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = request.user.school_membership
        if membership is None or not membership.edits_local_offer:
            raise PermissionDenied
        self.membership = membership
        self.virtual_school = membership.virtual_school
        self.local_authority = membership.virtual_school.local_authority
        self.load_object()
        return super().dispatch(request, *args, **kwargs)

    def load_object(self) -> None:
        """Pages about one object load it here, after the checks and before any method."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            membership=self.membership,
            virtual_school=self.virtual_school,
            local_authority=self.local_authority,
            **kwargs,
        )


class OwnOfferMixin(OfferEditorRequiredMixin):
    """Loads the offer in the address before any method runs: another council's is a 404."""

    def load_object(self) -> None:
        self.offer = get_object_or_404(
            LocalOffer.objects.select_related("local_authority"),
            slug=self.kwargs["slug"],
            local_authority=self.local_authority,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(offer=self.offer, **kwargs)


class EditorHomeView(OfferEditorRequiredMixin, TemplateView):
    """Straight to the council's offer, or a page to start one."""

    template_name = "localoffer/editor/start.html"

    def get(self, request, *args, **kwargs):
        offer = LocalOffer.objects.filter(local_authority=self.local_authority).first()
        if offer is not None:
            return redirect("localoffer_editor:manage", slug=offer.slug)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        offer = services.offer_start(local_authority=self.local_authority, by=request.user)
        messages.success(
            request, _("You started a draft. Carers cannot see it until you publish it.")
        )
        return redirect("localoffer_editor:manage", slug=offer.slug)


class ManageView(OwnOfferMixin, TemplateView):
    template_name = "localoffer/editor/manage.html"

    def get_context_data(self, **kwargs):
        written = {s.kind: s for s in LocalOfferSection.objects.filter(offer=self.offer)}
        sections = [
            {"kind": kind, "label": label, "section": written.get(kind)}
            for kind, label in SectionKind.choices
        ]
        recent = list(self.offer.changes.all()[:3])
        return super().get_context_data(sections=sections, recent_changes=recent, **kwargs)


class OfferFormView(OwnOfferMixin, FormView):
    """Shared by the details, section and status forms: on success, back to the offer."""

    def get_success_url(self):
        return self.offer.get_editor_url()

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(self.get_success_url())


class DetailsView(OfferFormView):
    template_name = "localoffer/editor/details.html"
    form_class = OfferDetailsForm

    def get_initial(self):
        return {name: getattr(self.offer, name) for name in services.DETAILS_FIELDS}

    def form_valid(self, form):
        services.offer_details_update(offer=self.offer, by=self.request.user, **form.cleaned_data)
        return self.done(_("Introduction and review dates saved."))


class SectionKindMixin:
    """The section named in the address, as a choice with its label; any other is a 404."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["kind"] not in SectionKind.values:
            raise Http404
        self.kind = SectionKind(kwargs["kind"])


class SectionView(SectionKindMixin, OfferFormView):
    template_name = "localoffer/editor/section.html"
    form_class = SectionForm

    def get_section(self):
        return LocalOfferSection.objects.filter(offer=self.offer, kind=self.kind).first()

    def get_initial(self):
        return SectionForm.initial_for(self.get_section())

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.kind, section=self.get_section(), **kwargs)

    def form_valid(self, form):
        services.section_save(
            offer=self.offer, kind=self.kind, by=self.request.user, **form.cleaned_data
        )
        return self.done(_("%(section)s saved.") % {"section": self.kind.label})


class SectionRemoveView(SectionKindMixin, OwnOfferMixin, TemplateView):
    template_name = "localoffer/editor/section_remove.html"

    def get(self, request, *args, **kwargs):
        if not self.offer.sections.filter(kind=self.kind).exists():
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["kind"] = self.kind  # the URL's kind, as a choice with its label
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.section_remove(offer=self.offer, kind=self.kind, by=request.user)
        except services.LocalOfferError as error:
            messages.error(request, str(error))
            return redirect(self.offer.get_editor_url())
        messages.success(request, _("%(section)s removed.") % {"section": self.kind.label})
        return redirect(self.offer.get_editor_url())


class StatusView(OfferFormView):
    template_name = "localoffer/editor/status.html"
    form_class = OfferStatusForm

    def get_initial(self):
        return {"status": self.offer.status}

    def form_valid(self, form):
        try:
            offer = services.offer_status_set(
                offer=self.offer, by=self.request.user, status=form.cleaned_data["status"]
            )
        except services.LocalOfferError as error:
            form.add_error("status", str(error))
            return self.form_invalid(form)
        if offer.is_published:
            return self.done(_("Your offer is published. Carers can now see it."))
        return self.done(_("Your offer is a draft. Carers can no longer see it."))


class HistoryView(OwnOfferMixin, TemplateView):
    template_name = "localoffer/editor/history.html"

    def get_context_data(self, **kwargs):
        changes = LocalOfferChange.objects.filter(offer=self.offer).order_by("-at", "-pk")
        page = Paginator(changes, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, changes=page.object_list, **kwargs)
