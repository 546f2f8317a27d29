import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with their email address. There are no usernames.

    What a person may do follows from what they are: a content admin has
    ``is_staff``; Virtual School staff have a ``staff_membership``; a professional
    (designated teacher, social worker…) who books training has ``is_professional``;
    everyone else is a carer.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    session_stamp = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "Goes up when two-factor authentication is set up or removed: every other "
            "session of this account then ends."
        ),
    )

    # Set with the person's professionals.ProfessionalProfile (professionals.services), so
    # every page knows a professional from a carer without another query.
    is_professional = models.BooleanField(
        _("professional"),
        default=False,
        editable=False,
        help_text=_(
            "Signed up to book training for professionals, such as designated teachers and "
            "social workers: not a kinship carer."
        ),
    )

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the portal's pages and of every message we send you."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def _get_session_auth_hash(self, secret=None):
        """Django ends a session whose hash no longer matches: here the hash covers the
        password and the session stamp, so changing either signs the account out elsewhere."""
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.session_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_content_admin(self) -> bool:
        return self.is_staff

    @property
    def school_membership(self):
        """The person's Virtual School membership with its school and council, or None.

        Read once per user object: the MFA middleware asks first and the workspace views
        reuse the answer, so a staff page looks the membership up once.
        """
        relation = type(self).staff_membership.related
        if not relation.is_cached(self):
            from schools.models import StaffMembership

            membership = (
                StaffMembership.objects.select_related("virtual_school__local_authority")
                .filter(user=self)
                .first()
            )
            relation.set_cached_value(self, membership)
        return relation.get_cached_value(self)

    @property
    def is_school_staff(self) -> bool:
        return self.school_membership is not None

    @property
    def is_carer(self) -> bool:
        # is_professional is a column of the user row: no query.
        return not (
            self.is_staff or self.is_superuser or self.is_professional or self.is_school_staff
        )

    @property
    def books_as_professional(self) -> bool:
        """Books professionals' events: a professional, or Virtual School staff with their
        own account."""
        return self.is_professional or self.is_school_staff

    @property
    def requires_mfa(self) -> bool:
        """Content admins and Virtual School staff see children's data: they must use MFA."""
        return self.is_staff or self.is_superuser or self.is_school_staff


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


class Invitation(models.Model):
    """An invitation for a member of staff to set up an account."""

    class Role(models.TextChoices):
        SCHOOL_HEAD = "head", _("Virtual School head")
        SCHOOL_OFFICER = "officer", _("Virtual School officer")
        SCHOOL_READ_ONLY = "read_only", _("Virtual School staff (read only)")
        CONTENT_ADMIN = "content_admin", _("Content admin")

    email = models.EmailField(_("email address"))
    role = models.CharField(verbose_name=_("role"), max_length=20, choices=Role.choices)
    virtual_school = models.ForeignKey(
        "schools.VirtualSchool",
        verbose_name=_("virtual school"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        help_text=_("Required for Virtual School roles."),
    )
    edits_local_offer = models.BooleanField(
        _("local offer editor"),
        default=False,
        help_text=_("They will be able to change the council's kinship local offer."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="content_admin", virtual_school__isnull=True)
                | (~models.Q(role="content_admin") & models.Q(virtual_school__isnull=False)),
                name="invitation_school_role_has_school",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_school_role(self) -> bool:
        return self.role != self.Role.CONTENT_ADMIN

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.expires_at > now


from accounts.sessions import Session  # noqa: E402,F401 - the session model lives with its engine
