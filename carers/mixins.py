"""Who may see a carer's pages. Every app with pages for carers uses this mixin."""

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.decorators import method_decorator

from carers import services
from carers.texts import text_failure_tell


@method_decorator(verified_email_required, name="dispatch")
class CarerRequiredMixin:
    """A signed-in carer with a verified email address and, unless said otherwise, a finished profile."""

    requires_onboarding = True

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_carer:
            return self.not_a_carer(request, *args, **kwargs)
        self.profile = services.carer_profile_get_or_create(user=user)
        if self.requires_onboarding and not self.profile.is_onboarded:
            return redirect("carers:onboarding")
        # Texts to their number failed for good (carers.texts.texts_fail): say so, once.
        if warning := text_failure_tell(profile=self.profile):
            messages.warning(request, warning)
        self.load_objects(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def not_a_carer(self, request, *args, **kwargs):
        """Someone else is sent to their own home page."""
        user = request.user
        if user.is_school_staff:
            return redirect("schools:home")
        if user.is_professional:
            return redirect("professionals:home")
        return redirect("admin:index")

    def load_objects(self, **kwargs) -> None:
        """Fetch the objects named in the URL, once the carer is known."""


class BookerRequiredMixin(CarerRequiredMixin):
    """Pages for everyone who books events: carers as above, and professionals and Virtual
    School staff (who book professionals' events), for whom `profile` is None. Which events
    each may book is events.services.booking_check's business."""

    def not_a_carer(self, request, *args, **kwargs):
        if not request.user.books_as_professional:
            return super().not_a_carer(request, *args, **kwargs)
        self.profile = None
        self.load_objects(**kwargs)
        # On past CarerRequiredMixin.dispatch, to the view's own.
        return super(CarerRequiredMixin, self).dispatch(request, *args, **kwargs)
