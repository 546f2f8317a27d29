from django import forms

from core.choices import Arrangement
from resources.models import EntitlementRule, Stage
from schools.models import LocalAuthority


class FeedbackForm(forms.Form):
    useful = forms.TypedChoiceField(
        label="Was this page useful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if this page was useful",
            "invalid_choice": "Select yes or no",
        },
    )
    comment = forms.CharField(
        label="How could we improve it? (optional)",
        help_text="Do not include personal details such as names or addresses.",
        required=False,
        max_length=1200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Your comment must be 1,200 characters or fewer"},
    )


class HelpCheckerForm(forms.Form):
    """Four questions; the answers pick the curated entitlement rules that may apply."""

    arrangement = forms.ChoiceField(
        label="What is the legal arrangement for the child?",
        choices=Arrangement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the legal arrangement, or 'Other, or not sure'",
            "invalid_choice": "Choose the legal arrangement, or 'Other, or not sure'",
        },
    )
    looked_after = forms.ChoiceField(
        label="Was the child ever looked after by a local authority (in care)?",
        help_text="For example, they lived with foster carers or in a children's home before living with you, "
        "or you were their foster carer before a court order.",
        choices=[
            (EntitlementRule.LookedAfter.YES, "Yes"),
            (EntitlementRule.LookedAfter.NO, "No"),
            ("not_sure", "I'm not sure"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes, no or I'm not sure",
            "invalid_choice": "Select yes, no or I'm not sure",
        },
    )
    stage = forms.ChoiceField(
        label="What stage of education is the child at?",
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the child's stage of education",
            "invalid_choice": "Choose the child's stage of education",
        },
    )
    local_authority = forms.ModelChoiceField(
        label="Which council area do you live in?",
        queryset=LocalAuthority.objects.all(),
        empty_label="Choose your council",
        error_messages={
            "required": "Choose the council area you live in",
            "invalid_choice": "Choose the council area you live in",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.choices import ARRANGEMENT_HINTS

        self.fields["arrangement"].choice_hints = ARRANGEMENT_HINTS
