"""Forms for content admins in Django admin. The rules stay in events.services."""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.templatetags.portal import govuk_datetime
from events import selectors, services
from events.models import Booking, Event, EventMessage


def _https_urls(db_field, **kwargs):
    """URLFields assume https when the scheme is missing (and avoid Django 6's warning)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "title_cy",
            "slug",
            "summary",
            "summary_cy",
            "description",
            "description_cy",
            "kind",
            "organiser",
            "status",
            "starts_at",
            "ends_at",
            "format",
            "join_url",
            "join_link_by",
            "venue_name",
            "venue_address",
            "access_information",
            "access_information_cy",
            "capacity",
            "max_places_per_booking",
            "booking_opens_at",
            "booking_closes_at",
            "audiences",
            "topics",
            "local_authority",
            "recording",
        ]
        formfield_callback = staticmethod(_https_urls)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None:
            # Cancelling tells everyone booked, so it is only done by the admin action.
            status.choices = [c for c in status.choices if c[0] != Event.Status.CANCELLED]
            status.help_text = _(
                "To cancel an event and tell everyone booked, use the action "
                "“Cancel selected events and tell everyone booked” on the events list."
            )

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start"))
        closes_at = cleaned.get("booking_closes_at")
        if closes_at and starts_at and closes_at > starts_at:
            self.add_error("booking_closes_at", _("Booking must close before the event starts"))
        opens_at = cleaned.get("booking_opens_at")
        if opens_at and closes_at and opens_at >= closes_at:
            self.add_error("booking_opens_at", _("Booking must open before it closes"))
        if cleaned.get("format") in (Event.Format.IN_PERSON, Event.Format.HYBRID) and not (
            cleaned.get("venue_name") or cleaned.get("venue_address")
        ):
            self.add_error("venue_address", _("Enter where the event takes place"))
        # Publishing an online event without its join link, or the date it will come, is
        # refused by Event.clean(), which this form runs next: the message shows beside the
        # join link field.
        return cleaned


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Event) -> str:
        return f"{obj.title} – {govuk_datetime(obj.starts_at)}"


# BookingError.field -> the field on this form that the message belongs beside.
_FORM_FIELD = {"user": "carer_email", "places": "places", "event": "event"}


class BookOnBehalfForm(forms.ModelForm):
    """A content admin books a place for a carer who phoned. Saving calls booking_create."""

    event = EventChoiceField(
        label=_("Event"),
        queryset=Event.objects.none(),
        help_text=_("Published events that have not started yet."),
    )
    carer_email = forms.EmailField(
        label=_("Carer's email address"),
        help_text=_("The email address the carer signs in with. They get the usual emails."),
        error_messages={
            "required": _("Enter the carer's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )

    class Meta:
        model = Booking
        fields = ["event", "carer_email", "places", "access_needs", "question"]
        help_texts = {
            "places": _("How many people from the household are coming."),
            "access_needs": _("Anything the organiser needs to know so they can take part."),
            "question": _("Anything the carer would like the speaker to cover."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(
            status=Event.Status.PUBLISHED, starts_at__gt=timezone.now()
        ).order_by("starts_at", "pk")

    def clean_carer_email(self) -> User:
        email = self.cleaned_data["carer_email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this email address. Ask the carer to create an account first.")
            )
        return user

    def clean(self):
        cleaned = super().clean()
        event, user, places = (
            cleaned.get("event"),
            cleaned.get("carer_email"),
            cleaned.get("places"),
        )
        if event is None or user is None or places is None:
            return cleaned
        try:
            services.booking_check(event=event, user=user, places=places)
        except services.BookingError as exc:
            self.add_error(_FORM_FIELD.get(exc.field, "event"), str(exc))
        return cleaned


class ReducePlacesForm(forms.Form):
    """A content admin gives back some of a confirmed booking's places (never adds any:
    more places means booking again). Saving calls booking_reduce_places."""

    places = forms.TypedChoiceField(
        label=_("Places to keep"),
        help_text=_("The places given back go to the waiting list, who are emailed."),
        coerce=int,
        error_messages={
            "required": _("Choose how many places to keep"),
            "invalid_choice": _("Choose how many places to keep"),
        },
    )

    def __init__(self, *args, booking: Booking, **kwargs):
        super().__init__(*args, **kwargs)
        # No answer chosen for them: a slip should not give places away.
        self.fields["places"].choices = [
            *models.BLANK_CHOICE_DASH,
            *((n, str(n)) for n in range(1, booking.places)),
        ]


class EventMessageForm(forms.Form):
    """A content admin's message to one group of an event's people. The rules are in
    events.services.event_message_problems; sending calls event_message_send. `token`
    travels with the form from the page that first showed it, so sending it twice sends once."""

    audience = forms.ChoiceField(
        label=_("Who to email"),
        widget=forms.RadioSelect,
        choices=EventMessage.Audience.choices,
        error_messages={
            "required": _("Select who to email"),
            "invalid_choice": _("Select who to email"),
        },
    )
    subject = forms.CharField(
        label=_("Subject"),
        required=False,
        help_text=_("Up to 150 characters. People see it after the event's name."),
    )
    body = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        help_text=_(
            "Plain text, up to 5,000 characters. Web addresses become links. It is sent as "
            "you write it: the greeting and the words around it are in each person's language."
        ),
    )
    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form has expired. Check the message and continue again"),
            "invalid": _("This form has expired. Check the message and continue again"),
        },
    )

    def __init__(self, *args, event: Event, sizes: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.recipients = 0
        # How many each group holds now, beside its name.
        self.fields["audience"].choices = [
            (value, f"{label} ({sizes.get(value, 0)})")
            for value, label in EventMessage.Audience.choices
        ]

    def clean(self):
        cleaned = super().clean()
        problems = services.event_message_problems(
            event=self.event,
            audience=cleaned.get("audience") or "",
            subject=cleaned.get("subject") or "",
            body=cleaned.get("body") or "",
        )
        for field, problem in problems.items():
            if field not in self.errors:
                self.add_error(field, problem)
        if not self.errors:
            self.recipients = selectors.message_bookings(
                event_id=self.event.pk, audience=cleaned["audience"]
            ).count()
        return cleaned
