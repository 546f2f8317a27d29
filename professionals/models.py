"""Professionals who book training: designated teachers, social workers, Virtual School staff
and others who work with children in kinship care. They have no carer profile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ProfessionalProfile(models.Model):
    class Role(models.TextChoices):
        DESIGNATED_TEACHER = "designated_teacher", _("Designated teacher")
        SOCIAL_WORKER = "social_worker", _("Social worker")
        VIRTUAL_SCHOOL = "virtual_school", _("Virtual School staff")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="professional_profile",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    role_other = models.CharField(
        _("other role"), max_length=100, blank=True, help_text=_("When the role is “Other”.")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    # Events for one council area are open to the professionals who work there.
    local_authority = models.ForeignKey(
        "schools.LocalAuthority",
        verbose_name=_("council area they work in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Their own choice, as a carer's (CarerProfile.reminders_enabled): read by
    # events.services.reminders_claim_due and again when each reminder is sent.
    reminders_enabled = models.BooleanField(
        _("event reminders"),
        default=True,
        help_text=_("Email reminders before events you have booked."),
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("professional profile")
        verbose_name_plural = _("professional profiles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="other") | ~Q(role_other=""),
                name="professional_other_role_is_named",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Professional profile of %(user)s") % {"user": self.user}

    @property
    def role_label(self) -> str:
        """ "Designated teacher", or what they wrote for another role."""
        if self.role == self.Role.OTHER:
            return self.role_other
        return self.get_role_display()
