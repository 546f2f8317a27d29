"""The Virtual School's home page: what needs doing."""

from django.utils import timezone
from django.views.generic import TemplateView

from schools.selectors.advice import open_advice_requests
from schools.selectors.records import follow_ups_due, pupils_of_concern
from schools.views.access import AuditedPageMixin, SchoolStaffRequiredMixin

SHOWN_ON_HOME = 10  # the most urgent of each; "See all" leads to the whole list


class HomeView(SchoolStaffRequiredMixin, AuditedPageMixin, TemplateView):
    """What needs doing: follow-ups due (those overdue flagged, the oldest first), open
    advice requests, pupils of concern; who is signed in and how to reach the Virtual School."""

    template_name = "schools/home.html"

    def audit_summary(self) -> str:
        return "Viewed the staff home (follow-ups due and pupils of concern)"

    def get_context_data(self, **kwargs):
        # One more than is shown, to know whether to offer the whole list.
        follow_ups = follow_ups_due(self.virtual_school, limit=SHOWN_ON_HOME + 1)
        open_requests = open_advice_requests(self.virtual_school, limit=SHOWN_ON_HOME + 1)
        return super().get_context_data(
            follow_ups=follow_ups[:SHOWN_ON_HOME],
            more_follow_ups=len(follow_ups) > SHOWN_ON_HOME,
            today=timezone.localdate(),  # a follow-up due before today is overdue
            open_requests=open_requests[:SHOWN_ON_HOME],
            more_open_requests=len(open_requests) > SHOWN_ON_HOME,
            pupils_of_concern=pupils_of_concern(self.virtual_school),
            **kwargs,
        )
