from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import Notification
from core.notify import queue

TEXTS_MONTHS = 13  # this month and the twelve before: a year's free allowance and more


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The mail ledger: what was sent to whom, what failed and why. Read-only."""

    list_display = [
        "kind",
        "channel",
        "recipient",
        "key",
        "status",
        "delivery",
        "language",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["channel", "kind", "status", "delivery", "language"]
    search_fields = ["recipient__email", "key"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path(
                "texts/",
                self.admin_site.admin_view(self.texts_view),
                name="core_notification_texts",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "texts_url": reverse(f"{self.admin_site.name}:core_notification_texts"),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def texts_view(self, request):
        """Text messages sent each month and the SMS fragments they took: what they cost
        against the council's yearly free allowance on GOV.UK Notify."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        months = list(
            Notification.objects.filter(
                channel=Notification.Channel.SMS, status=Notification.Status.SENT
            )
            .annotate(month=TruncMonth("sent_at"))
            .values("month")
            .annotate(texts=Count("pk"), fragments=Sum("fragments"))
            .order_by("-month")[:TEXTS_MONTHS]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Text messages sent each month"),
            "months": months,
        }
        return TemplateResponse(request, "admin/core/notification/texts.html", context)

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
