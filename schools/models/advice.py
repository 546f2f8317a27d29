"""Carers' advice requests to their Virtual School, and the messages in each thread."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import CLOSED_ACCOUNT
from schools.models.authorities import VirtualSchool


class AdviceRequest(models.Model):
    """A carer's question to their Virtual School, with a thread of replies."""

    class Topic(models.TextChoices):
        SCHOOL_PLACE = "school_place", _("School places and admissions")
        ATTENDANCE = "attendance", _("Attendance")
        BEHAVIOUR = "behaviour", _("Behaviour, suspensions or exclusions")
        SEND = "send", _("Special educational needs (SEND)")
        FUNDING = "funding", _("Pupil Premium Plus and funding")
        WELLBEING = "wellbeing", _("Wellbeing at school")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a reply")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    virtual_school = models.ForeignKey(
        VirtualSchool, on_delete=models.CASCADE, related_name="advice_requests"
    )
    # Empty once the carer has closed their account: the thread is the Virtual School's
    # record of advice given, so it stays, without who asked (carers.services.carer_delete).
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="advice_requests",
    )
    topic = models.CharField(max_length=20, choices=Topic.choices)
    child = models.ForeignKey(
        "carers.Child", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The Virtual School's record of the child, once staff have added or linked it from the
    # thread (schools.services.advice.advice_request_link_pupil): always one of its own pupils.
    pupil = models.ForeignKey(
        "schools.KinshipPupil",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advice_requests",
    )
    may_contact_school = models.BooleanField(
        default=False,
        help_text=_(
            "The carer agrees the Virtual School may contact the child's school about this."
        ),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_advice",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # A tab of the inbox, and the open requests longest waiting first (the staff home),
        # read in order.
        indexes = [
            models.Index(
                fields=["virtual_school", "status", "created_at", "id"],
                name="advice_inbox_waiting_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} from {self.carer_name}"

    @property
    def carer_name(self) -> str:
        if self.carer is None:
            return CLOSED_ACCOUNT
        return self.carer.get_full_name() or self.carer.email


class AdviceMessage(models.Model):
    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A member of staff's name as it was when they wrote: the thread still says who replied
    # after their account is closed. Empty for carers (the carer is never named once gone).
    author_label = models.CharField(max_length=200, blank=True)
    from_staff = models.BooleanField(default=False)
    # Written by the portal, not a person: for example that the carer closed their account.
    is_note = models.BooleanField(default=False)
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message on {self.request}"
