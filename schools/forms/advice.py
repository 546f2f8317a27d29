"""Forms for advice requests: carers ask and reply at /advice/, staff answer at /school/advice/.

The forms check what the person typed; the rules (which Virtual School, whose child, whether
the request is still open) live in schools.services.advice and come back as SchoolError.
"""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from schools.forms.fields import PupilChoiceField
from schools.models import AdviceRequest, KinshipPupil, StaffMembership

MESSAGE_MAX_LENGTH = 5000
NO_CHILD = "none"


def _message_field(*, label: str, hint: str = "", required_error: str, too_long_error: str):
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": required_error, "max_length": too_long_error},
    )


class AdviceRequestForm(forms.Form):
    """A carer's question. `children` are the carer's own children (none: no child questions)."""

    topic = forms.ChoiceField(
        label=_("What is your question about?"),
        choices=AdviceRequest.Topic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what your question is about"),
            "invalid_choice": _("Choose what your question is about"),
        },
    )
    message = _message_field(
        label=_("Your question"),
        hint=_(
            "Tell us what is happening and what you would like help with. "
            "Do not include bank details or passwords."
        ),
        required_error=_("Enter your question"),
        too_long_error=_("Your question must be 5,000 characters or fewer"),
    )
    child = forms.ChoiceField(
        label=_("Is it about one of the children you look after?"),
        help_text=_(
            "If you choose a child, your Virtual School will see their first name, "
            "school year and school, as they are in your profile."
        ),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the children in your profile")},
    )
    may_contact_school = forms.BooleanField(
        label=_("The Virtual School may contact the child's school about this"),
        help_text=_(
            "We record your answer. Virtual School staff see it before they act on your "
            "question, and will not contact the school unless you tick this box."
        ),
        required=False,
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(child.pk): child for child in children}
        if not self.children:
            # Nothing to choose, and nothing the school could be contacted about.
            del self.fields["child"]
            del self.fields["may_contact_school"]
            return
        self.fields["child"].choices = [
            (pk, child.first_name) for pk, child in self.children.items()
        ] + [(NO_CHILD, gettext("Not about a particular child"))]
        if len(self.children) == 1:
            [only] = self.children.values()
            self.fields["may_contact_school"].label = gettext(
                "The Virtual School may contact %(name)s's school about this"
            ) % {"name": only.first_name}

    def clean_child(self):
        return self.children.get(self.cleaned_data.get("child") or NO_CHILD)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("may_contact_school")
            and cleaned.get("child") is None
            and "child" not in self.errors
        ):
            self.add_error(
                "may_contact_school", gettext("Choose the child this is about, or untick this box")
            )
        return cleaned


class CarerReplyForm(forms.Form):
    body = _message_field(
        label=_("Reply to your Virtual School"),
        required_error=_("Enter your reply"),
        too_long_error=_("Your reply must be 5,000 characters or fewer"),
    )


class StaffReplyForm(forms.Form):
    body = _message_field(
        label=_("Reply to the carer"),
        hint=_(
            "The carer gets an email saying you have replied, and reads your reply on the portal."
        ),
        required_error=_("Enter your reply"),
        too_long_error=_("Your reply must be 5,000 characters or fewer"),
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class AssignForm(forms.Form):
    """Who in the team deals with a request: anyone who can reply (read-only staff cannot)."""

    assignee = StaffChoiceField(
        label=_("Assign to"),
        queryset=None,
        required=False,
        empty_label=_("Nobody"),
        error_messages={"invalid_choice": _("Choose someone in your team")},
    )

    def __init__(self, *args, virtual_school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            staff_membership__virtual_school=virtual_school,
            staff_membership__role__in=[StaffMembership.Role.HEAD, StaffMembership.Role.OFFICER],
        ).order_by("first_name", "last_name", "pk")


# Linking a request to the child's pupil record ---------------------------------------------


class PupilSearchForm(forms.Form):
    """Find the pupil a request is about: by name or UPN, never a list of every pupil."""

    q = forms.CharField(
        label=_("Search by name or UPN"),
        help_text=_("For example, a first name and last name, or a 13-character UPN."),
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter a name or UPN to search for"),
            "max_length": _("Search words must be 100 characters or fewer"),
        },
    )


class LinkPupilForm(forms.Form):
    """One of the pupils the search found. Any of the Virtual School's pupils is accepted
    (looked up by its id alone), but only the ones found are offered as choices: with 30,000
    pupils, never a choice of all of them."""

    pupil = PupilChoiceField(
        label=_("Which pupil is this request about?"),
        queryset=KinshipPupil.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the pupil this request is about"),
            "invalid_choice": _("Choose a pupil from the list"),
        },
    )

    def __init__(self, *args, virtual_school, found, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["pupil"]
        field.queryset = KinshipPupil.objects.filter(virtual_school=virtual_school)
        field.widget.choices = [(pupil.pk, field.label_from_instance(pupil)) for pupil in found]
        field.choice_hints = {pupil.pk: self.hint_for(pupil) for pupil in found}

    @staticmethod
    def hint_for(pupil: KinshipPupil) -> str:
        parts = [gettext("UPN %(upn)s") % {"upn": pupil.upn} if pupil.upn else gettext("No UPN")]
        if pupil.school:
            parts.append(pupil.school.name)
        if pupil.left_on:
            parts.append(
                gettext("Left on %(date)s") % {"date": date_format(pupil.left_on, "j F Y")}
            )
        return " · ".join(parts)
