"""The coverage report in admin: which councils have published their kinship local offer,
which are overdue for review, which have a draft and which have none.

LocalOfferAdmin takes it as a mixin: `class LocalOfferAdmin(CoverageReportMixin, ...)`.
The report is at /admin/localoffer/localoffer/coverage/, linked from the offers' list."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from localoffer.coverage import OfferState, coverage

COVERAGE_URL_NAME = "localoffer_localoffer_coverage"

# The totals' labels, side by side: "Published: 2 · Overdue for review: 1 · …"
TOTAL_LABELS = {
    OfferState.PUBLISHED: _("Published"),
    OfferState.OVERDUE: _("Overdue for review"),
    OfferState.DRAFT: _("Draft"),
    OfferState.NONE: _("No offer"),
}


class CoverageReportMixin:
    """For a ModelAdmin of LocalOffer: adds the coverage report and a link to it."""

    def get_urls(self):
        return [
            path(
                "coverage/",
                self.admin_site.admin_view(self.coverage_view),
                name=COVERAGE_URL_NAME,
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "coverage_url": reverse(f"{self.admin_site.name}:{COVERAGE_URL_NAME}"),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def coverage_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = coverage()
        state = request.GET.get("state")
        if state not in OfferState.values:
            state = None
        can_add = self.has_add_permission(request)
        add_url = reverse(f"{self.admin_site.name}:localoffer_localoffer_add")
        rows = []
        for row in report.in_state(state):
            if row.offer is not None:
                url = reverse(
                    f"{self.admin_site.name}:localoffer_localoffer_change", args=[row.offer.pk]
                )
            elif can_add:
                url = f"{add_url}?{urlencode({'local_authority': row.council.pk})}"
            else:
                url = ""
            rows.append({"row": row, "url": url})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            # CSS classes, as Django admin's own pages have them.
            "body_class": f"app-{self.opts.app_label} model-{self.opts.model_name} coverage-report",
            "title": gettext("Local offer coverage"),
            "totals": [
                {
                    "state": value,
                    "label": TOTAL_LABELS[value],
                    "count": report.totals[value],
                    "url": f"?{urlencode({'state': value})}",
                }
                for value in OfferState
            ],
            "councils_count": len(report.councils),
            "state": state,
            "rows": rows,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/localoffer/coverage.html", context)
