import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.choices import CLOSED_ACCOUNT
from core.fields import ChoiceSetField
from core.i18n import Bilingual
from core.markdown import render_markdown
from resources.models import Audience


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def upcoming(self, now=None):
        return self.published().filter(ends_at__gte=now or timezone.now())

    def with_places(self):
        """Annotate `confirmed_places`: people with a confirmed place (capacity counts people)."""
        return self.annotate(confirmed_places=_per_event(Booking.Status.CONFIRMED, Sum("places")))

    def with_waiting(self):
        """Annotate `waiting`: bookings on the waiting list."""
        return self.annotate(waiting=_per_event(Booking.Status.WAITLISTED, Count("pk")))


def _per_event(status: str, aggregate):
    """An aggregate of each event's bookings with `status`, as a subquery per event rather
    than a join and GROUP BY: a page of 20 events adds up the bookings of those 20 only."""
    bookings = (
        Booking.objects.filter(event=OuterRef("pk"), status=status)
        .order_by()
        .values("event")
        .annotate(total=aggregate)
        .values("total")
    )
    return Coalesce(Subquery(bookings), 0, output_field=models.IntegerField())


# The "Join the event" button appears this long before the start (the pages say "15 minutes").
JOIN_OPENS_BEFORE = datetime.timedelta(minutes=15)
JOIN_LINK_NEEDED = _(
    "Enter the online join link, or the date you will send it, before publishing an online event"
)


class Event(Bilingual, models.Model):
    WELSH_FIELDS = ("title", "summary", "description", "access_information")

    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        WORKSHOP = "workshop", _("Workshop")
        PEER_SUPPORT = "peer_support", _("Peer support group")
        DROP_IN = "drop_in", _("Drop-in")
        TRAINING = "training", _("Training course")

    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Online and in person")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        # Welsh participles agree with the noun: an event (masculine), a booking (feminine).
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")

    title = models.CharField(verbose_name=_("title"), max_length=200)
    slug = models.SlugField(verbose_name=_("slug"), max_length=200, unique=True)
    summary = models.CharField(
        verbose_name=_("summary"), max_length=300, help_text=_("One sentence for the events list.")
    )
    description = models.TextField(
        verbose_name=_("description"),
        blank=True,
        help_text=_("Markdown. Scripts and styles are removed."),
    )
    description_html = models.TextField(blank=True, editable=False)
    # Welsh (core.i18n): empty means "not yet in Welsh"; Welsh pages then show the English.
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    summary_cy = models.CharField(_("summary in Welsh"), max_length=300, blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)
    description_html_cy = models.TextField(blank=True, editable=False)
    access_information_cy = models.TextField(_("access information in Welsh"), blank=True)
    kind = models.CharField(
        verbose_name=_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKSHOP
    )
    format = models.CharField(
        verbose_name=_("format"), max_length=20, choices=Format.choices, default=Format.ONLINE
    )
    starts_at = models.DateTimeField(
        verbose_name=_("starts at"),
    )
    ends_at = models.DateTimeField(
        verbose_name=_("ends at"),
    )
    venue_name = models.CharField(verbose_name=_("venue name"), max_length=150, blank=True)
    venue_address = models.TextField(verbose_name=_("venue address"), blank=True)
    access_information = models.TextField(
        verbose_name=_("access information"),
        blank=True,
        help_text=_("Step-free access, hearing loops, parking, quiet rooms, captions."),
    )
    join_url = models.URLField(
        _("online join link"),
        blank=True,
        max_length=500,
        help_text=_("Shown only to people with a confirmed place, and in their emails."),
    )
    join_link_by = models.DateTimeField(
        _("join link sent by"),
        null=True,
        blank=True,
        help_text=_(
            "No link yet? The date and time by which you will add it. "
            "People with a place are told to expect it then."
        ),
    )
    capacity = models.PositiveIntegerField(
        verbose_name=_("capacity"), help_text=_("How many people can come.")
    )
    max_places_per_booking = models.PositiveSmallIntegerField(
        verbose_name=_("max places per booking"),
        default=2,
        help_text=_("How many people one household can book for."),
    )
    booking_opens_at = models.DateTimeField(
        verbose_name=_("booking opens at"),
        null=True,
        blank=True,
        help_text=_("Empty: open as soon as published."),
    )
    booking_closes_at = models.DateTimeField(
        verbose_name=_("booking closes at"),
        null=True,
        blank=True,
        help_text=_("Empty: booking closes at the start."),
    )
    organiser = models.CharField(_("presenter or organiser"), max_length=150, blank=True)
    topics = models.ManyToManyField(
        "resources.Topic", verbose_name=_("topics"), blank=True, related_name="events"
    )
    audiences = ChoiceSetField(verbose_name=_("audiences"), choices=Audience.choices)
    local_authority = models.ForeignKey(
        "schools.LocalAuthority",
        verbose_name=_("local authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Only carers living in this council area can book. Empty: anyone can."),
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    series = models.ForeignKey(
        "events.EventSeries",
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dates",
        help_text=_("The other dates of this event, if it repeats."),
    )
    recording = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("recording"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("After the event: its recording in the resource library."),
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_listing_idx"),
            # Upcoming events, soonest first, and how many there are: read from the index
            # alone (PostgreSQL), so the list stops at its page and the count reads no event.
            models.Index(
                fields=["starts_at", "id"], include=["ends_at", "status"], name="event_soonest_idx"
            ),
            models.Index(fields=["ends_at"], include=["status"], name="event_ends_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(max_places_per_booking__gte=1), name="event_at_least_one_place"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        self.description_html_cy = render_markdown(self.description_cy)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def has_venue(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def closes_at(self):
        return self.booking_closes_at or self.starts_at

    def clean(self):
        super().clean()
        if self.join_link_missing():
            raise ValidationError({"join_url": JOIN_LINK_NEEDED})

    def join_link_missing(self) -> bool:
        """A published online or hybrid event needs its join link, or the date it will come.

        Only checked when an event is saved through a form or published: events published
        before this rule keep working, and their pages say the link will come."""
        return (
            self.status == self.Status.PUBLISHED
            and self.is_online
            and not self.join_url
            and self.join_link_by is None
        )

    @property
    def join_opens_at(self) -> datetime.datetime:
        return self.starts_at - JOIN_OPENS_BEFORE

    @property
    def join_is_open(self) -> bool:
        """From 15 minutes before the start until the end."""
        return self.join_opens_at <= timezone.now() < self.ends_at

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    # Who may book (events.services.booking_check). No audience ticked means everyone.

    @property
    def for_carers(self) -> bool:
        return not self.audiences or Audience.CARERS in self.audiences

    @property
    def for_professionals(self) -> bool:
        """Professionals (designated teachers, social workers, Virtual School staff) may book."""
        return not self.audiences or bool(
            {Audience.PROFESSIONALS, Audience.SCHOOLS} & set(self.audiences)
        )

    @property
    def only_for_professionals(self) -> bool:
        return self.for_professionals and not self.for_carers

    def recording_for(self, user):
        """The recording, if this person may open it (a staff-only one is not linked for carers)."""
        recording = self.recording
        return recording if recording is not None and recording.is_visible_to(user) else None

    def booking_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return False
        if self.booking_opens_at and now < self.booking_opens_at:
            return False
        return now < self.closes_at

    def places_left(self) -> int:
        confirmed = getattr(self, "confirmed_places", None)
        if confirmed is None:
            confirmed = self.bookings.filter(status=Booking.Status.CONFIRMED).aggregate(
                n=Coalesce(Sum("places"), 0)
            )["n"]
        return max(self.capacity - confirmed, 0)


class EventFeedback(models.Model):
    """A carer's rating after an event, shown to admins per event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    booking = models.OneToOneField("Booking", on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("event feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="event_feedback_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(rating)s/5 for %(event)s") % {"rating": self.rating, "event": self.event}


class EventMaterial(Bilingual, models.Model):
    """A recording, slides or another link shared after an event, once a curator has checked it:
    a web address, or a resource from the library.

    Shown only once the event has ended and only when ready: those for everyone to anyone,
    those for people who booked to people with a confirmed place (events.selectors)."""

    WELSH_FIELDS = ("title",)

    class Kind(models.TextChoices):
        RECORDING = "recording", _("Recording")
        SLIDES = "slides", _("Slides")
        HANDOUT = "handout", _("Handout")
        LINK = "link", _("Other link")

    class SharedWith(models.TextChoices):
        BOOKED = "booked", _("People who booked")
        EVERYONE = "everyone", _("Everyone")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RECORDING)
    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    url = models.URLField(
        _("web address"),
        max_length=500,
        blank=True,
        help_text=_("Where the recording, slides or page are. Or choose a resource instead."),
    )
    # PROTECT: a resource a material links to is archived, not deleted, so the link never
    # silently disappears (and the material always has its web address or its resource).
    resource = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("resource"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Or a resource from the library. It is shown to people who can read it."),
    )
    shared_with = models.CharField(
        _("shown to"),
        max_length=10,
        choices=SharedWith.choices,
        default=SharedWith.BOOKED,
        help_text=_(
            "People who booked: only people with a confirmed place. "
            "Everyone: anyone, signed in or not."
        ),
    )
    ready = models.BooleanField(
        _("checked and ready to share"),
        default=False,
        help_text=_("Only materials that are ready are shown, once the event has ended."),
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recording or material")
        verbose_name_plural = _("recordings and materials")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & Q(resource__isnull=False))
                | (~Q(url="") & Q(resource__isnull=True)),
                name="event_material_link_or_resource",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.url and self.resource_id is not None:
            raise ValidationError(
                {"resource": _("Choose a resource or enter a web address, not both")}
            )
        if not self.url and self.resource_id is None:
            raise ValidationError(
                {"url": _("Enter a web address, or choose a resource from the library")}
            )

    @property
    def for_everyone(self) -> bool:
        return self.shared_with == self.SharedWith.EVERYONE

    def link_for(self, user) -> str:
        """Where it opens for this person: its web address, or its resource's page if they may
        read the resource (a staff-only or unpublished one is not linked); else empty."""
        if self.resource_id is None:
            return self.url
        resource = self.resource
        return resource.get_absolute_url() if resource.is_visible_to(user) else ""


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("booking status", "Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="bookings"
    )
    # Empty once the carer has closed their account: past bookings stay, anonymous, so
    # attendance can still be counted (carers.services.carer_delete).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="bookings"
    )
    places = models.PositiveSmallIntegerField(verbose_name=_("places"), default=1)
    status = models.CharField(max_length=12, choices=Status.choices)
    access_needs = models.TextField(verbose_name=_("access needs"), blank=True, max_length=1000)
    question = models.TextField(
        verbose_name=_("question for the speaker"), blank=True, max_length=1000
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The admin who booked on the carer's behalf, if any."),
    )
    created_at = models.DateTimeField(default=timezone.now, help_text=_("Waiting-list order."))
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="booking_one_active_per_person",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="booking_at_least_one_place"),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="booking_queue_idx")]

    def __str__(self) -> str:
        return f"{self.person_name} – {self.event} ({self.get_status_display()})"

    @property
    def person_name(self) -> str:
        if self.user is None:
            return CLOSED_ACCOUNT
        return self.user.get_full_name() or self.user.email

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)

    @property
    def join_link(self) -> str:
        """The online join link, for a confirmed place at an online event that is still on;
        otherwise empty. Every page, calendar file and email asks here."""
        event = self.event
        if (
            self.status == self.Status.CONFIRMED
            and event.status == Event.Status.PUBLISHED
            and event.is_online
        ):
            return event.join_url
        return ""


class EventMessage(models.Model):
    """A message a content admin e-mailed to one group of an event's people, stored once.

    Each person gets it through the notification ledger (kind "event_message", key
    `notification_key`), so nobody is sent it twice; `token` comes from the form that sent
    it, so the same form sent again (a double click, a replayed request) stores nothing new."""

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("People with a confirmed place")
        WAITING = "waiting", _("People on the waiting list")
        ATTENDED = "attended", _("People who attended")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="messages"
    )
    audience = models.CharField(_("sent to"), max_length=12, choices=Audience.choices)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    token = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to attendees")
        verbose_name_plural = _("messages to attendees")

    def __str__(self) -> str:
        return self.subject

    @property
    def notification_key(self) -> str:
        """The ledger's key for this message: one notification per person and message."""
        return f"event-message:{self.pk}"


from events.models.series import EventSeries, EventSession  # noqa: E402

__all__ = [
    "Booking",
    "Event",
    "EventFeedback",
    "EventMaterial",
    "EventMessage",
    "EventSeries",
    "EventSession",
]
