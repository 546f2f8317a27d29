from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall, how was the event?"),
        choices=[
            (5, _("Very good")),
            (4, _("Good")),
            (3, _("Neither good nor poor")),
            (2, _("Poor")),
            (1, _("Very poor")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the event was"),
            "invalid_choice": _("Choose how the event was"),
        },
    )
    comment = forms.CharField(
        label=_("What could we do better? (optional)"),
        help_text=_("Do not include personal details about the child."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Your comment must be 2,000 characters or fewer")},
    )


class BookingForm(forms.Form):
    places = forms.TypedChoiceField(
        label=_("How many people are coming?"),
        help_text=_("Including you. Each person needs a place."),
        coerce=int,
        error_messages={
            "required": _("Choose how many people are coming"),
            "invalid_choice": _("Choose how many people are coming"),
        },
    )
    access_needs = forms.CharField(
        label=_("Do you have any access needs? (optional)"),
        help_text=_(
            "For example, step-free access, a hearing loop, captions or a quiet space. Only the organisers see this."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Access needs must be 1,000 characters or fewer")},
    )
    question = forms.CharField(
        label=_("Is there anything you would like the speaker to cover? (optional)"),
        help_text=_("The organisers see this and may pass it on to the speaker."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Your question must be 1,000 characters or fewer")},
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        most = max(1, min(event.max_places_per_booking, event.capacity or 1))
        self.fields["places"].choices = [(n, str(n)) for n in range(1, most + 1)]
        if most == 1:
            self.fields["places"].widget = forms.HiddenInput()
            self.fields["places"].initial = 1


class ChangePlacesForm(forms.Form):
    """Keep fewer of a booking's places: a choice from 1 to one fewer than booked now."""

    places = forms.TypedChoiceField(
        label=_("How many places do you need now?"),
        help_text=_("Including you. The places you give up go to people on the waiting list."),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how many places you need now"),
            "invalid_choice": _("Choose how many places you need now"),
        },
    )

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        fewer = range(1, booking.places)
        self.fields["places"].choices = [
            (n, ngettext("%(count)s place", "%(count)s places", n) % {"count": n}) for n in fewer
        ]
        # From 2 places the only answer is 1: the page asks to confirm it, not a question.
        self.only_choice = fewer[0] if len(fewer) == 1 else None
        if self.only_choice is not None:
            self.fields["places"].widget = forms.HiddenInput()
            self.fields["places"].initial = self.only_choice
