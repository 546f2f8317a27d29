from django import forms


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Overall, how was the event?",
        choices=[
            (5, "Very good"),
            (4, "Good"),
            (3, "Neither good nor poor"),
            (2, "Poor"),
            (1, "Very poor"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how the event was",
            "invalid_choice": "Choose how the event was",
        },
    )
    comment = forms.CharField(
        label="What could we do better? (optional)",
        help_text="Do not include personal details about the child.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Your comment must be 2,000 characters or fewer"},
    )


class BookingForm(forms.Form):
    places = forms.TypedChoiceField(
        label="How many people are coming?",
        help_text="Including you. Each person needs a place.",
        coerce=int,
        error_messages={
            "required": "Choose how many people are coming",
            "invalid_choice": "Choose how many people are coming",
        },
    )
    access_needs = forms.CharField(
        label="Do you have any access needs? (optional)",
        help_text="For example, step-free access, a hearing loop, captions or a quiet space. Only the organisers see this.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Access needs must be 1,000 characters or fewer"},
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        most = max(1, min(event.max_places_per_booking, event.capacity or 1))
        self.fields["places"].choices = [(n, str(n)) for n in range(1, most + 1)]
        if most == 1:
            self.fields["places"].widget = forms.HiddenInput()
            self.fields["places"].initial = 1
