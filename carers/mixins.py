"""Who may see a carer's pages. Every app with pages for carers uses this mixin."""

from allauth.account.decorators import verified_email_required
from django.shortcuts import redirect
from django.utils.decorators import method_decorator

from carers import services


@method_decorator(verified_email_required, name="dispatch")
class CarerRequiredMixin:
    """A signed-in carer with a verified email address and, unless said otherwise, a finished profile."""

    requires_onboarding = True

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_carer:
            if user.is_school_staff:
                return redirect("schools:home")
            return redirect("admin:index")
        self.profile = services.carer_profile_get_or_create(user=user)
        if self.requires_onboarding and not self.profile.is_onboarded:
            return redirect("carers:onboarding")
        self.load_objects(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self, **kwargs) -> None:
        """Fetch the objects named in the URL, once the carer is known."""
