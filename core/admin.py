from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import Notification
from core.notify import queue


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The mail ledger: what was sent to whom, what failed and why. Read-only."""

    list_display = [
        "kind",
        "recipient",
        "key",
        "status",
        "language",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["kind", "status", "language"]
    search_fields = ["recipient__email", "key"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again (failed, or not known if sent)"))
    def retry_failed(self, request, queryset):
        """Failed ones, and ones nobody knows were sent once someone has checked the mail
        server's log: sending those again is a person's decision, never automatic."""
        failed = list(
            queryset.filter(
                status__in=[Notification.Status.FAILED, Notification.Status.UNKNOWN]
            ).values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=failed).update(
            status=Notification.Status.PENDING, attempts=0
        )
        for pk in failed:
            queue(pk)
        messages.success(
            request,
            ngettext(
                # The English keeps its "(s)"; other languages get their plural forms.
                "%(count)s notification(s) queued again.",
                "%(count)s notification(s) queued again.",
                len(failed),
            )
            % {"count": len(failed)},
        )
