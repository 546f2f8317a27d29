from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carers import texts
from carers.models import CarerProfile
from carers.services import consent_statement
from core.choices import ARRANGEMENT_HINTS, Arrangement, YearGroup
from core.models import Notification
from resources.models import Topic
from schools.models import LocalAuthority


class LocalAuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TopicsField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        try:
            return super().clean(value)
        except OverflowError:  # SQLite: an id too big for 64 bits is not one of the topics
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class ProfileForm(forms.Form):
    """Onboarding and /profile/: who the carer is and what they want to hear about."""

    first_name = forms.CharField(
        label=_("First name"),
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
    local_authority = LocalAuthorityChoiceField(
        label=_("Which council area do you live in?"),
        help_text=_(
            "Choose the council responsible for children's services where you live. It tells "
            "us which Virtual School can help you. In a two-tier area this is the county "
            "council, not the district council that sends your council tax bill: for example, "
            "Kent County Council, not Maidstone Borough Council. In Wales, and in unitary, "
            "metropolitan and London borough areas, there is only one council."
        ),
        queryset=LocalAuthority.objects.all(),
        empty_label=_("Choose your council"),
        error_messages={
            "required": _("Choose the council area you live in"),
            "invalid_choice": _("Choose the council area you live in"),
        },
    )
    relationship = forms.ChoiceField(
        label=_("How are you related to the child you look after?"),
        choices=CarerProfile.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you are related to the child"),
            "invalid_choice": _("Choose how you are related to the child"),
        },
    )
    arrangement = forms.ChoiceField(
        label=_("What is the legal arrangement?"),
        help_text=_(
            "If you look after more than one child, choose the arrangement for most of them."
        ),
        choices=Arrangement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the legal arrangement, or 'Other, or not sure'"),
            "invalid_choice": _("Choose the legal arrangement, or 'Other, or not sure'"),
        },
    )
    topics = TopicsField(
        label=_("What would you like to hear about?"),
        help_text=_("Choose all that apply. We use this to show you advice and events first."),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Choose topics from the list"),
            "invalid_pk_value": _("Choose topics from the list"),
        },
    )
    digest_frequency = forms.ChoiceField(
        label=_("How often would you like an email about new advice and events?"),
        choices=CarerProfile.DigestFrequency.choices,
        widget=forms.RadioSelect,
        initial=CarerProfile.DigestFrequency.WEEKLY,
        error_messages={
            "required": _("Choose how often you would like an email"),
            "invalid_choice": _("Choose how often you would like an email"),
        },
    )
    reminders_enabled = forms.BooleanField(
        label=_("Email me reminders before events I have booked"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arrangement"].choice_hints = ARRANGEMENT_HINTS

    @classmethod
    def initial_for(cls, profile: CarerProfile) -> dict:
        return {
            "first_name": profile.user.first_name,
            "last_name": profile.user.last_name,
            "local_authority": profile.local_authority_id,
            "relationship": profile.relationship,
            "arrangement": profile.arrangement,
            "topics": list(profile.topics.all()),
            "digest_frequency": profile.digest_frequency,
            "reminders_enabled": profile.reminders_enabled,
        }


def _year_of_birth_bounds() -> tuple[int, int]:
    this_year = timezone.localdate().year
    return this_year - 25, this_year


class ChildForm(forms.Form):
    first_name = forms.CharField(
        label=_("Child's first name"),
        help_text=_("Just their first name, or the name they are known by."),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the child's first name"),
            "max_length": _("First name must be 60 characters or fewer"),
        },
    )
    year_of_birth = forms.IntegerField(
        label=_("Year of birth (optional if you give their school year)"),
        help_text=_("For example, 2015"),
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-4", "autocomplete": "off"}
        ),
        error_messages={"invalid": _("Year of birth must be a year, like 2015")},
    )
    school_year = forms.ChoiceField(
        label=_("School year (optional if you give their year of birth)"),
        choices=[("", _("Choose a school year"))] + YearGroup.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose a school year from the list")},
    )
    school_name = forms.CharField(
        label=_("School (optional)"),
        help_text=_("The name of their school, if you know it."),
        max_length=150,
        required=False,
        error_messages={"max_length": _("School name must be 150 characters or fewer")},
    )

    def clean_first_name(self):
        name = self.cleaned_data["first_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the child's first name"))
        return name

    def clean_year_of_birth(self):
        year = self.cleaned_data.get("year_of_birth")
        if year is None:
            return None
        earliest, latest = _year_of_birth_bounds()
        if year > latest:
            raise forms.ValidationError(_("Year of birth must be this year or in the past"))
        if year < earliest:
            raise forms.ValidationError(
                _("Year of birth must be %(earliest)s or later"),
                code="too_early",
                params={"earliest": earliest},
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if (
            not self.errors
            and cleaned.get("year_of_birth") is None
            and not cleaned.get("school_year")
        ):
            self.add_error(
                "year_of_birth", _("Enter the child's year of birth or choose their school year")
            )
        return cleaned


def _share_hint_text() -> str:
    return gettext(
        "%(statement)s Your Virtual School can give better advice if they can see them. "
        "Nobody else will."
    ) % {"statement": consent_statement(gettext("this child"))}


_share_hint = lazy(_share_hint_text, str)


class ChildAddForm(ChildForm):
    share_with_virtual_school = forms.BooleanField(
        label=_("Share these details with my Virtual School"),
        help_text=_share_hint(),
        required=False,
    )


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Enter your password to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )

    def __init__(self, *args, user, limited: bool = False, **kwargs):
        self.user = user
        self.limited = limited
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if self.limited:  # too many tries: not even checked, so it cannot be guessed here
            raise forms.ValidationError(
                _("You have tried your password too many times. Wait 15 minutes, then try again.")
            )
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct"))
        return password


class TelephoneInput(forms.TextInput):
    input_type = "tel"


class MobileNumberForm(forms.Form):
    """Get text messages: a UK mobile number, and the carer's agreement in the words shown."""

    mobile_number = forms.CharField(
        label=_("UK mobile number"),
        help_text=_("We will text you a code to check it is your number."),
        max_length=30,
        widget=TelephoneInput(
            attrs={
                "autocomplete": "tel",
                "spellcheck": "false",
                "class": "govuk-input--width-20",
            }
        ),
        error_messages={
            "required": _("Enter a UK mobile number"),
            "max_length": _("Enter a UK mobile number, like 07700 900 982"),
        },
    )
    # The label is the statement itself: the words kept as what the carer agreed to.
    consent = forms.BooleanField(
        label=lazy(texts.consent_statement, str)(),
        error_messages={"required": _("Tick the box to agree to get text messages")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.statement = texts.consent_statement()  # as shown on this page, in its language

    def clean_mobile_number(self):
        return texts.uk_mobile_normalise(self.cleaned_data["mobile_number"])


class TextCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Text message code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
        error_messages={
            "required": _("Enter the code from the text message"),
            "max_length": _("The code must be 6 numbers"),
        },
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not (code.isascii() and code.isdigit() and len(code) == texts.CODE_DIGITS):
            raise forms.ValidationError(_("The code must be 6 numbers"))
        return code


class TextChoicesForm(forms.Form):
    """For each kind of message that can go by text: email, text message or both."""

    def __init__(self, *args, profile: CarerProfile, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, (question, error) in texts.TEXT_KIND_QUESTIONS.items():
            field = forms.ChoiceField(
                label=question,
                choices=texts.CHANNEL_CHOICES,
                widget=forms.RadioSelect,
                initial=texts.text_channel(profile, kind),
                error_messages={"required": error, "invalid_choice": error},
            )
            if kind == Notification.Kind.EVENT_REMINDER and not profile.reminders_enabled:
                field.help_text = _(
                    "You have turned event reminders off. Turn them on in your details to get them."
                )
            self.fields[str(kind)] = field
