from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Arrangement
from resources.models import EntitlementRule, Stage
from schools.models import LocalAuthority


class FeedbackForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("Was this page useful?"),
        choices=[
            ("yes", pgettext_lazy("answer to a question starting 'Was'", "Yes")),
            ("no", pgettext_lazy("answer to a question starting 'Was'", "No")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if this page was useful"),
            "invalid_choice": _("Select yes or no"),
        },
    )
    comment = forms.CharField(
        label=_("How could we improve it? (optional)"),
        help_text=_("Do not include personal details such as names or addresses."),
        required=False,
        max_length=1200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Your comment must be 1,200 characters or fewer")},
    )


class HelpCheckerForm(forms.Form):
    """Four questions; the answers pick the curated entitlement rules that may apply."""

    arrangement = forms.ChoiceField(
        label=_("What is the legal arrangement for the child?"),
        choices=Arrangement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the legal arrangement, or 'Other, or not sure'"),
            "invalid_choice": _("Choose the legal arrangement, or 'Other, or not sure'"),
        },
    )
    looked_after = forms.ChoiceField(
        label=_("Was the child ever looked after by a local authority (in care)?"),
        help_text=_(
            "For example, they lived with foster carers or in a children's home before living with you, "
            "or you were their foster carer before a court order."
        ),
        choices=[
            (
                EntitlementRule.LookedAfter.YES,
                pgettext_lazy("answer to a question starting 'Was'", "Yes"),
            ),
            (
                EntitlementRule.LookedAfter.NO,
                pgettext_lazy("answer to a question starting 'Was'", "No"),
            ),
            ("not_sure", _("I'm not sure")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes, no or I'm not sure"),
            "invalid_choice": _("Select yes, no or I'm not sure"),
        },
    )
    stage = forms.ChoiceField(
        label=_("What stage of education is the child at?"),
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the child's stage of education"),
            "invalid_choice": _("Choose the child's stage of education"),
        },
    )
    local_authority = forms.ModelChoiceField(
        label=_("Which council area do you live in?"),
        queryset=LocalAuthority.objects.all(),
        empty_label=_("Choose your council"),
        error_messages={
            "required": _("Choose the council area you live in"),
            "invalid_choice": _("Choose the council area you live in"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.choices import ARRANGEMENT_HINTS

        self.fields["arrangement"].choice_hints = ARRANGEMENT_HINTS
