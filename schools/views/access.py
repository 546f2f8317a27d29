"""Who may see the Virtual School's pages, and how each page loads its object: only staff,
only their own Virtual School's rows, so another authority's record is a 404."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import translation

from schools.models import KinshipPupil
from schools.services import audit as audit_services


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


class ScopedObjectMixin:
    """Load the page's object before the HTTP method is dispatched, so another authority's
    object is a 404 for every method. Put it after SchoolStaffRequiredMixin."""

    def get_object(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class PupilObjectMixin(ScopedObjectMixin):
    def get_object(self):
        return self.get_scoped_or_404(
            KinshipPupil.objects.select_related("school"), pk=self.kwargs["pk"]
        )


class AuditedPageMixin:
    """A page that shows children's details writes who opened it to the audit log, on every
    GET. Put it after SchoolStaffRequiredMixin (and after ScopedObjectMixin, if any)."""

    def audit_summary(self) -> str:
        raise NotImplementedError

    def audit_object(self):
        return None

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        with translation.override(None):  # the audit log is kept in English, whoever reads it
            summary = self.audit_summary()[:300]
        audit_services.page_viewed(
            virtual_school=self.virtual_school,
            actor=request.user,
            obj=self.audit_object(),
            summary=summary,
        )
        return response
