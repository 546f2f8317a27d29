"""The forms a council's local offer editors fill in."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from localoffer.models import LocalOffer, LocalOfferSection
from schools.forms.fields import GovukDateField

MARKDOWN_HINT = _(
    "You can use Markdown: **bold**, [link text](https://…), lists starting with - and "
    "headings starting with ##."
)


class OfferDetailsForm(forms.Form):
    intro = forms.CharField(
        label=_("Introduction"),
        help_text=_("A few sentences carers read first, above the sections."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The introduction must be 2,000 characters or fewer")},
    )
    intro_cy = forms.CharField(
        label=_("Introduction in Welsh (optional)"),
        help_text=_("If you leave it empty, Welsh pages show the English."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("The introduction in Welsh must be 2,000 characters or fewer")
        },
    )
    last_reviewed_on = GovukDateField(
        what=pgettext_lazy("date named in error messages", "Date last reviewed"),
        label=_("Date last reviewed (optional)"),
        help_text=_("When your council last checked the whole offer. For example, 2 11 2026"),
        example="2 11 2026",
        required=False,
    )
    review_due_on = GovukDateField(
        what=pgettext_lazy("date named in error messages", "Review due date"),
        label=_("Review due date (optional)"),
        help_text=_("When it should next be checked. For example, 2 11 2027"),
        example="2 11 2027",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        reviewed, due = cleaned.get("last_reviewed_on"), cleaned.get("review_due_on")
        if reviewed and due and due <= reviewed:
            self.add_error(
                "review_due_on", _("The review due date must be after the date last reviewed")
            )
        return cleaned


class SectionForm(forms.Form):
    body = forms.CharField(
        label=_("What your council offers"),
        help_text=MARKDOWN_HINT,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={
            "required": _("Enter what your council offers in this section"),
            "max_length": _("The text must be 20,000 characters or fewer"),
        },
    )
    body_cy = forms.CharField(
        label=_("In Welsh (optional)"),
        help_text=_("If you leave it empty, Welsh pages show the English."),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"max_length": _("The Welsh text must be 20,000 characters or fewer")},
    )
    link_url = forms.URLField(
        label=_("Link to a page or document (optional)"),
        help_text=_("For example, the council's page or PDF about this support."),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": _(
                "Enter a web address in the correct format, like https://www.leeds.gov.uk"
            ),
            "max_length": _("The web address must be 500 characters or fewer"),
        },
    )
    link_text = forms.CharField(
        label=_("Link text (optional)"),
        help_text=_("What the link says, for example “Kinship allowance policy (PDF)”."),
        required=False,
        max_length=150,
        error_messages={"max_length": _("The link text must be 150 characters or fewer")},
    )
    link_text_cy = forms.CharField(
        label=_("Link text in Welsh (optional)"),
        required=False,
        max_length=150,
        error_messages={"max_length": _("The link text in Welsh must be 150 characters or fewer")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("link_url") and not cleaned.get("link_text"):
            self.add_error("link_text", _("Enter the link text"))
        if cleaned.get("link_text") and not cleaned.get("link_url") and "link_url" in cleaned:
            self.add_error("link_url", _("Enter the web address the link goes to"))
        return cleaned

    @classmethod
    def initial_for(cls, section: LocalOfferSection | None) -> dict:
        if section is None:
            return {}
        return {name: getattr(section, name) for name in cls.base_fields}


class OfferStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Who can see the offer?"),
        choices=[
            (LocalOffer.Status.PUBLISHED, _("Everyone – it is published on the portal")),
            (LocalOffer.Status.DRAFT, _("Only your council's editors – it is a draft")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who can see the offer")},
    )
