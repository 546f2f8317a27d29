import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import Arrangement, YearGroup


class CarerProfile(models.Model):
    """What a carer tells us about themselves, kept to what the portal uses."""

    class Relationship(models.TextChoices):
        GRANDPARENT = "grandparent", _("Grandparent")
        AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
        SIBLING = "sibling", _("Older brother or sister")
        OTHER_RELATIVE = "other_relative", _("Another relative")
        FAMILY_FRIEND = "family_friend", _("Family friend or neighbour")
        OTHER = "other", _("Other")

    class DigestFrequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        NEVER = "never", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="carer_profile"
    )
    local_authority = models.ForeignKey(
        "schools.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carers",
    )
    relationship = models.CharField(max_length=20, choices=Relationship.choices, blank=True)
    arrangement = models.CharField(max_length=20, choices=Arrangement.choices, blank=True)
    topics = models.ManyToManyField("resources.Topic", blank=True, related_name="interested_carers")
    digest_frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    reminders_enabled = models.BooleanField(
        _("event reminders"),
        default=True,
        help_text=_("Email reminders before events you have booked."),
    )
    calendar_token = models.CharField(
        max_length=64, unique=True, default=secrets.token_urlsafe, editable=False
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)
    # Text messages (carers/texts.py). The number is E.164 (+447700900982); texts go to it
    # only once it is verified and while they are neither stopped nor failed.
    mobile_number = models.CharField(_("mobile number"), max_length=16, blank=True)
    mobile_verified_at = models.DateTimeField(null=True, blank=True)
    # The code sent to the number: only a keyed hash of it, when it expires and how many
    # wrong tries it has had. Cleared once the number is verified.
    mobile_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    mobile_code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    mobile_code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    text_consent_statement = models.TextField(
        blank=True, help_text=_("The words the carer agreed to, as they read them.")
    )
    text_consent_at = models.DateTimeField(null=True, blank=True)
    # {notification kind: "email" | "sms" | "both"} for the kinds that can go by text; a kind
    # not here goes by e-mail.
    text_channels = models.JSONField(default=dict, blank=True)
    texts_stopped_at = models.DateTimeField(null=True, blank=True)
    # A text to the number failed for good (Notify's permanent failure): texts are off, and
    # the carer is told once, on their next visit (text_failure_seen becomes True).
    text_failed_at = models.DateTimeField(null=True, blank=True)
    text_failure_seen = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mobile_verified_at__isnull=True) | ~models.Q(mobile_number=""),
                name="carerprofile_verified_mobile_has_number",
            ),
            models.CheckConstraint(
                condition=models.Q(onboarded_at__isnull=True)
                | (
                    models.Q(local_authority__isnull=False)
                    & ~models.Q(relationship="")
                    & ~models.Q(arrangement="")
                ),
                name="carerprofile_onboarded_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Carer profile of %(user)s") % {"user": self.user}

    @property
    def is_onboarded(self) -> bool:
        return self.onboarded_at is not None

    @property
    def gets_texts(self) -> bool:
        """Texts can go to this carer: a verified number, not stopped, not failed."""
        return bool(
            self.mobile_number
            and self.mobile_verified_at
            and self.texts_stopped_at is None
            and self.text_failed_at is None
        )

    @property
    def mobile_last_digits(self) -> str:
        return self.mobile_number[-3:]


class Child(models.Model):
    """A child a carer looks after: only what the portal needs to help them."""

    carer = models.ForeignKey(CarerProfile, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(max_length=60)
    year_of_birth = models.PositiveSmallIntegerField(null=True, blank=True)
    school_year = models.CharField(max_length=12, choices=YearGroup.choices, blank=True)
    school_name = models.CharField(max_length=150, blank=True)
    shares_with_virtual_school = models.BooleanField(
        default=False,
        help_text=_("The carer consents to their Virtual School seeing this child's details."),
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["first_name", "pk"]
        verbose_name_plural = _("children")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_of_birth__isnull=False) | ~models.Q(school_year=""),
                name="child_has_age_or_school_year",
            )
        ]

    def __str__(self) -> str:
        return self.first_name


class ConsentEvent(models.Model):
    """Each time a carer gives or withdraws consent to share a child's details."""

    class Action(models.TextChoices):
        GIVEN = "given", _("Consent given")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consent_events")
    action = models.CharField(max_length=10, choices=Action.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(db_default=Now())
    statement = models.TextField(help_text=_("The words the carer agreed to or withdrew."))

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return gettext("%(action)s for %(child)s") % {
            "action": self.get_action_display(),
            "child": self.child,
        }
