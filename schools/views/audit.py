"""The audit log: who viewed, changed, exported or imported pupil records."""

from django.views.generic import TemplateView

from core.pagination import paginate
from schools.models import AuditEntry
from schools.views.access import SchoolStaffRequiredMixin

AUDIT_PER_PAGE = 50


class AuditLogView(SchoolStaffRequiredMixin, TemplateView):
    """Who viewed, changed, exported or imported pupil records. Heads only; nothing to edit."""

    head_only = True
    template_name = "schools/records/audit_log.html"

    def get_context_data(self, **kwargs):
        entries = self.scoped(AuditEntry.objects.all()).order_by("-at", "-pk")
        return super().get_context_data(**paginate(self.request, entries, AUDIT_PER_PAGE), **kwargs)
