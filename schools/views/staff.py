from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from accounts.forms import StaffInviteForm
from accounts.models import Invitation
from accounts.services import InvitationError, invitation_create
from schools.models import StaffMembership
from schools.selectors.advice import open_advice_requests
from schools.selectors.records import follow_ups_due, pupils_of_concern
from schools.services import SchoolError
from schools.services.staff import staff_membership_remove


class SchoolStaffRequiredMixin(LoginRequiredMixin):
    """Virtual School staff only; everything they see is scoped to their own school.

    MFA is enforced before this runs, by accounts.middleware.StaffMFARequiredMiddleware.
    """

    head_only = False
    editor_only = False  # True on every view that changes data: read-only staff get a 403

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = request.user.school_membership
        if membership is None or (self.head_only and not membership.is_head):
            raise PermissionDenied
        if self.editor_only and not membership.can_edit:
            raise PermissionDenied
        self.membership = membership
        self.virtual_school = membership.virtual_school
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            membership=self.membership, virtual_school=self.virtual_school, **kwargs
        )

    def scoped(self, queryset):
        """Only this Virtual School's rows. Every object view fetches through here, so another
        authority's record is a 404."""
        return queryset.filter(virtual_school=self.virtual_school)

    def get_scoped_or_404(self, queryset, **lookup):
        return get_object_or_404(self.scoped(queryset), **lookup)


class HomeView(SchoolStaffRequiredMixin, TemplateView):
    """What needs doing: follow-ups due, open advice requests, pupils of concern."""

    template_name = "schools/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            follow_ups=follow_ups_due(self.virtual_school),
            open_requests=open_advice_requests(self.virtual_school),
            pupils_of_concern=pupils_of_concern(self.virtual_school),
            **kwargs,
        )


class StaffListView(SchoolStaffRequiredMixin, TemplateView):
    template_name = "schools/staff_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            staff=StaffMembership.objects.filter(virtual_school=self.virtual_school).select_related(
                "user"
            ),
            open_invitations=Invitation.objects.filter(
                virtual_school=self.virtual_school, accepted_at__isnull=True
            ),
            **kwargs,
        )


class StaffInviteView(SchoolStaffRequiredMixin, FormView):
    head_only = True
    template_name = "schools/staff_invite.html"
    form_class = StaffInviteForm

    def form_valid(self, form):
        try:
            invitation = invitation_create(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                virtual_school=self.virtual_school,
                invited_by=self.request.user,
            )
        except InvitationError as error:
            form.add_error("email", str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"Invitation sent to {invitation.email}. It lasts 14 days.")
        return redirect("schools:staff")


class StaffRemoveView(SchoolStaffRequiredMixin, TemplateView):
    head_only = True
    template_name = "schools/staff_remove.html"

    def get_member(self):
        # Staff of another Virtual School are a 404, never a 403 that confirms they exist.
        return get_object_or_404(
            StaffMembership.objects.select_related("user"),
            pk=self.kwargs["pk"],
            virtual_school=self.virtual_school,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.get_member(), **kwargs)

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        try:
            staff_membership_remove(membership=member, removed_by=request.user)
        except SchoolError as error:
            messages.error(request, str(error))
            return redirect("schools:staff")
        messages.success(request, f"{member.user} no longer has access to {self.virtual_school}.")
        return redirect("schools:staff")
