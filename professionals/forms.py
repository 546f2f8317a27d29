from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PortalSignupForm
from carers.forms import LocalAuthorityChoiceField
from professionals import services
from professionals.models import ProfessionalProfile
from schools.models import LocalAuthority


class ProfessionalFieldsMixin(forms.Form):
    """Who a professional is, as the attendance register and their certificates show it."""

    first_name = forms.CharField(
        label=_("First name"),
        help_text=_("As you want it on your certificates."),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your first name"),
            "max_length": _("First name must be 150 characters or fewer"),
        },
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your last name"),
            "max_length": _("Last name must be 150 characters or fewer"),
        },
    )
    role = forms.ChoiceField(
        label=_("What is your role?"),
        choices=ProfessionalProfile.Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select your role"),
            "invalid_choice": _("Select your role"),
        },
    )
    role_other = forms.CharField(
        label=_("If you chose “Other”, what is your role?"),
        help_text=_("For example, family support worker or school governor."),
        max_length=100,
        required=False,
        error_messages={"max_length": _("Your role must be 100 characters or fewer")},
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        help_text=_("The school, council or organisation you work for."),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={
            "required": _("Enter the name of your organisation"),
            "max_length": _("The name of your organisation must be 200 characters or fewer"),
        },
    )
    local_authority = LocalAuthorityChoiceField(
        label=_("Which council area do you work in? (optional)"),
        help_text=_(
            "Some training is only for people who work in one council area. Leave it empty "
            "if you work in several."
        ),
        queryset=LocalAuthority.objects.all(),
        required=False,
        empty_label=_("Choose a council"),
        error_messages={"invalid_choice": _("Choose the council area you work in")},
    )

    def clean(self):
        cleaned = super().clean()
        role_other = (cleaned.get("role_other") or "").strip()
        if cleaned.get("role") == ProfessionalProfile.Role.OTHER and not role_other:
            self.add_error("role_other", _("Enter your role"))
        cleaned["role_other"] = role_other
        return cleaned

    def profile_values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("role", "role_other", "organisation", "local_authority")
        }


class ProfessionalSignupForm(ProfessionalFieldsMixin, PortalSignupForm):
    """A professional's account: allauth's sign-up (e-mail confirmed before anything), with
    their name, role and organisation. No carer profile: signs_up_carer tells the adapter."""

    signs_up_carer = False
    field_order = [
        "first_name",
        "last_name",
        "role",
        "role_other",
        "organisation",
        "local_authority",
        "email",
        "password1",
        "password2",
        "language",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Work email address")
        self.order_fields(self.field_order)

    def signup(self, request, user) -> None:
        """allauth calls this once the account is saved (in the same request)."""
        services.professional_profile_create(user=user, **self.profile_values())


class ProfessionalDetailsForm(ProfessionalFieldsMixin):
    """A professional changes what the register and their certificates say."""


class EmailPreferencesForm(forms.Form):
    """A professional's choice of e-mails: reminders before the events they booked."""

    YES, NO = "yes", "no"
    reminders = forms.ChoiceField(
        label=_("Do you want email reminders before the events you have booked?"),
        choices=[
            (YES, _("Yes, email me reminders")),
            (NO, _("No, do not email me reminders")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you want email reminders"),
            "invalid_choice": _("Select whether you want email reminders"),
        },
    )

    @classmethod
    def initial_for(cls, profile: ProfessionalProfile) -> dict:
        return {"reminders": cls.YES if profile.reminders_enabled else cls.NO}

    @property
    def reminders_enabled(self) -> bool:
        return self.cleaned_data["reminders"] == self.YES
