from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation
from core.i18n import normalise
from schools.models import VirtualSchool


class PortalSignupForm(SignupForm):
    """Carer sign-up: an email address and a password, nothing more until they are verified."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].help_text = _("We will send you a link to confirm it.")
        self.fields["password1"].label = _("Create a password")
        self.fields["password1"].help_text = _("Use at least 10 characters. Avoid common words.")
        if "password2" in self.fields:
            self.fields["password2"].label = _("Confirm your password")
        # Asked at sign-up (Welsh Language Standards): pages and emails follow it from then on.
        self.fields["language"] = forms.ChoiceField(
            label=_("Which language do you want to use?"),
            help_text=_("We will show the portal's pages and send every email in this language."),
            choices=settings.LANGUAGES,
            initial=normalise(translation.get_language()),
            # Left out, it is the language of the page the person signed up on.
            required=False,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Select the language you want to use"),
                "invalid_choice": _("Select the language you want to use"),
            },
        )


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your first name")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your last name")},
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        help_text=_("Use at least 10 characters. Avoid common words."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Create a password")},
    )
    password2 = forms.CharField(
        label=_("Confirm your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Confirm your password")},
    )

    def __init__(self, *args, invitation: Invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", gettext("The passwords do not match"))
        if p1 and not self.errors.get("password1"):
            from accounts.models import User

            probe = User(
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class StaffInviteForm(forms.Form):
    """A Virtual School head invites someone to their own team."""

    ROLE_CHOICES = [
        (Invitation.Role.SCHOOL_OFFICER, _("Officer – can add and change records")),
        (Invitation.Role.SCHOOL_READ_ONLY, _("Read only – can view records but not change them")),
        (Invitation.Role.SCHOOL_HEAD, _("Head – as an officer, and can invite and remove staff")),
    ]

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "Use their work email address. We will send them a link to set up their account."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    role = forms.ChoiceField(
        label=_("What can they do?"),
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what they can do")},
    )
    edits_local_offer = forms.BooleanField(
        label=_("They can also change your council's kinship local offer"),
        help_text=_("Local offer editors keep the offer carers see on the portal up to date."),
        required=False,
    )


class AdminInvitationForm(forms.ModelForm):
    """Invitation form in Django admin: saving it sends the invitation."""

    class Meta:
        model = Invitation
        fields = ["email", "role", "virtual_school"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["virtual_school"].queryset = VirtualSchool.objects.select_related(
            "local_authority"
        )

    def clean(self):
        from accounts.services import InvitationError, invitation_check

        cleaned = super().clean()
        if cleaned.get("email") and cleaned.get("role"):
            try:
                invitation_check(
                    email=cleaned["email"],
                    role=cleaned["role"],
                    virtual_school=cleaned.get("virtual_school"),
                )
            except InvitationError as error:
                self.add_error(None, str(error))
        return cleaned

    def validate_constraints(self, exclude=None):
        # invitation_create replaces an open invitation for the same address.
        pass


class LanguageForm(forms.Form):
    """The language of someone's pages and correspondence (the Welsh Language Standards ask
    that each person's choice is recorded and used)."""

    language = forms.ChoiceField(
        label=_("Which language do you want to use?"),
        help_text=_("We will show the portal's pages and send every email in this language."),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the language you want to use"),
            "invalid_choice": _("Select the language you want to use"),
        },
    )
