"""The Virtual School team: who is in it, inviting someone, removing someone (heads only)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.forms import StaffInviteForm
from accounts.models import Invitation
from accounts.services import InvitationError, invitation_create
from schools.forms.staff import LocalOfferEditorForm
from schools.models import StaffMembership
from schools.services import SchoolError
from schools.services.staff import staff_local_offer_editor_set, staff_membership_remove
from schools.views.access import SchoolStaffRequiredMixin


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
                edits_local_offer=form.cleaned_data["edits_local_offer"],
            )
        except InvitationError as error:
            form.add_error("email", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Invitation sent to %(email)s. It lasts 14 days.") % {"email": invitation.email},
        )
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
        messages.success(
            request,
            _("%(name)s no longer has access to %(school)s.")
            % {"name": member.user, "school": self.virtual_school},
        )
        return redirect("schools:staff")


class StaffLocalOfferEditorView(SchoolStaffRequiredMixin, FormView):
    """A head decides who in the team may change the council's kinship local offer."""

    head_only = True
    template_name = "schools/staff_local_offer.html"
    form_class = LocalOfferEditorForm

    def get_member(self):
        if not hasattr(self, "member"):
            self.member = get_object_or_404(
                StaffMembership.objects.select_related("user"),
                pk=self.kwargs["pk"],
                virtual_school=self.virtual_school,
            )
        return self.member

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "member": self.get_member()}

    def get_initial(self):
        return {"edits_local_offer": "yes" if self.get_member().edits_local_offer else "no"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.get_member(), **kwargs)

    def form_valid(self, form):
        member = self.get_member()
        editor = form.cleaned_data["edits_local_offer"] == "yes"
        staff_local_offer_editor_set(membership=member, editor=editor, changed_by=self.request.user)
        name = member.user.get_full_name() or member.user.email
        if editor:
            message = _("%(name)s can now change your council's kinship local offer.")
        else:
            message = _("%(name)s can no longer change your council's kinship local offer.")
        messages.success(self.request, message % {"name": name})
        return redirect("schools:staff")
