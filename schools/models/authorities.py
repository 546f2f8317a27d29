"""Councils, their Virtual Schools, and the staff in each Virtual School's team."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LocalAuthority(models.Model):
    """A local authority with children's services, and so a Virtual School."""

    class Nation(models.TextChoices):
        ENGLAND = "England", _("England")
        WALES = "Wales", _("Wales")

    class Kind(models.TextChoices):
        COUNTY = "county", _("County council")
        METROPOLITAN_DISTRICT = "metropolitan_district", _("Metropolitan district")
        LONDON_BOROUGH = "london_borough", _("London borough")
        UNITARY = "unitary", _("Unitary authority")

    gss_code = models.CharField(_("ONS GSS code"), max_length=9, unique=True)
    dfe_la_number = models.CharField(
        _("DfE LA number"),
        max_length=3,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The 3-digit number used in UPNs and school data (England only)."),
    )
    name = models.CharField(max_length=100)
    nation = models.CharField(max_length=10, choices=Nation.choices)
    kind = models.CharField(max_length=30, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("local authorities")

    def __str__(self) -> str:
        return self.name


class VirtualSchool(models.Model):
    """The Virtual School of one local authority."""

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.PROTECT, related_name="virtual_school"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    advice_line_hours = models.CharField(
        max_length=200, blank=True, help_text=_("For example: Monday to Friday, 9am to 5pm")
    )
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffMembership(models.Model):
    """A person's place in a Virtual School team. One school per person."""

    class Role(models.TextChoices):
        HEAD = "head", _("Virtual School head")
        OFFICER = "officer", _("Officer")
        READ_ONLY = "read_only", _("Read only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_membership"
    )
    virtual_school = models.ForeignKey(
        VirtualSchool, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    edits_local_offer = models.BooleanField(
        _("local offer editor"),
        default=False,
        help_text=_("Can change the council's kinship local offer. Granted by a head."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["virtual_school", "user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.virtual_school}"

    @property
    def is_head(self) -> bool:
        return self.role == self.Role.HEAD

    @property
    def role_title(self) -> str:
        """The role as a person would say it after their name: "Virtual School officer"."""
        return {
            self.Role.HEAD: _("Virtual School head"),
            self.Role.OFFICER: _("Virtual School officer"),
            self.Role.READ_ONLY: _("Virtual School staff (read only)"),
        }[self.role]

    @property
    def can_edit(self) -> bool:
        return self.role != self.Role.READ_ONLY
