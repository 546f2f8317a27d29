"""Events that repeat, and courses.

A series is a run of dates of one event ("Coffee morning, first Tuesday of each month").
Each date is an Event of its own, with its own places, waiting list, reminders and
calendar entry; a carer books one date, or all the dates still to come at once.

A course is one Event whose sessions (EventSession) are booked together: one booking
holds one place across every session, so places, the waiting list and cancelling work
for the whole course, while calendars and reminders go out for each session.
"""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import Bilingual


class EventSeries(Bilingual, models.Model):
    WELSH_FIELDS = ("title",)

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week, or every few weeks")
        MONTHLY = "monthly", _("Every month, on the same weekday")
        DATES = "dates", _("On a list of dates")

    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(
        _("every how many weeks"),
        default=1,
        help_text=_("1 for every week, 2 for every other week. Only for weekly series."),
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=52), name="series_interval_1_to_52"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventSession(models.Model):
    """One session of a course. The course's Event runs from its first session's start to
    its last session's end."""

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Set by events.services.session_cancel, which tells the course's bookers: the course
    # goes ahead, this session does not.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        # The calendar finds the sessions that fall in the month it shows.
        indexes = [models.Index(fields=["starts_at"], name="session_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} – {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None
