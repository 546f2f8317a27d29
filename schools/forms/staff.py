"""The head's form for the team: who may change the council's kinship local offer."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class LocalOfferEditorForm(forms.Form):
    edits_local_offer = forms.ChoiceField(
        label=_("Can they change your council's kinship local offer?"),  # named in __init__
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no")},
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        name = member.user.get_full_name() or member.user.email
        self.fields["edits_local_offer"].label = gettext(
            "Can %(name)s change your council's kinship local offer?"
        ) % {"name": name}
        self.fields["edits_local_offer"].help_text = _(
            "They will be able to write, publish and unpublish the offer carers see. "
            "They must use two-factor authentication, and every change they make is recorded."
        )
