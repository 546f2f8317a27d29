"""The audit log of pupil data: append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.models.authorities import VirtualSchool


class AuditEntry(models.Model):
    """Who viewed, changed, exported or imported pupil data, and when. Never edited."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        IMPORT = "import", _("Imported")
        UNLINK = "unlink", _("Unlinked (consent withdrawn)")

    virtual_school = models.ForeignKey(
        VirtualSchool, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=200, blank=True, help_text=_("Who it was, kept if their account goes.")
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["virtual_school", "-at"], name="audit_recent_idx")]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_action_display().lower()} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries cannot be deleted")


class AuditPurge(models.Model):
    """While the retention schedule deletes old audit entries, one row here says how old an
    entry must be before the database lets it go; the row is removed in the same transaction,
    so no other connection ever sees it (migration schools.0008)."""

    before = models.DateTimeField()

    def __str__(self) -> str:
        return f"Audit entries before {self.before:%Y-%m-%d %H:%M}"
