"""Recordings and materials shared after an event: added on the event's page in Django admin
(EventMaterialInline) and listed on their own, where the action "Add to the library" puts
those shown to everyone in the resource library. Every change goes through events.services."""

from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.bilingual_admin import WelshVersionFilter, in_welsh
from events import services
from events.models import EventMaterial

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
# English and Welsh side by side, as on the event itself.
FIELDS = [("kind", "shared_with", "ready"), ("title", "title_cy"), ("url", "resource")]


@admin.display(description=_("In the library"))
def in_library(obj: EventMaterial) -> str:
    if obj is None or obj.pk is None:
        return "–"
    if obj.resource_id is not None:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:resources_resource_change", args=[obj.resource_id]),
            obj.resource.title,
        )
    if obj.for_everyone and obj.ready:
        return format_html(
            '{} <a href="{}?event__id__exact={}">{}</a>',
            gettext("Not yet."),
            reverse("admin:events_eventmaterial_changelist"),
            obj.event_id,
            gettext("Add it to the library from the list of recordings and materials"),
        )
    return gettext("No. Only materials shown to everyone and ready to share can be added.")


class EventMaterialInline(admin.StackedInline):
    model = EventMaterial
    extra = 0
    fields = [*FIELDS, in_library]
    readonly_fields = [in_library]
    autocomplete_fields = ["resource"]
    formfield_overrides = URL_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resource")


@admin.register(EventMaterial)
class EventMaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "shared_with", "ready", in_library, in_welsh]
    list_filter = [
        "kind",
        "shared_with",
        "ready",
        ("event", admin.RelatedOnlyFieldListFilter),
        WelshVersionFilter,
    ]
    search_fields = ["title", "title_cy", "event__title"]
    list_select_related = ["event", "resource"]
    autocomplete_fields = ["event", "resource"]
    fields = ["event", *FIELDS, in_library]
    readonly_fields = [in_library]
    actions = ["add_to_library"]
    formfield_overrides = URL_FIELDS

    def has_library_permission(self, request) -> bool:
        """Adding to the library makes and publishes a resource."""
        return request.user.has_perm("resources.add_resource")

    @admin.action(description=_("Add to the library"), permissions=["change", "library"])
    def add_to_library(self, request, queryset):
        added = 0
        for material in queryset:
            try:
                services.material_add_to_library(material=material)
            except services.BookingError as error:
                messages.error(
                    request,
                    gettext("%(material)s was not added: %(reason)s")
                    % {"material": material.title, "reason": error},
                )
            else:
                added += 1
        if added:
            messages.success(
                request,
                ngettext(
                    "%(count)s resource published in the library.",
                    "%(count)s resources published in the library.",
                    added,
                )
                % {"count": added},
            )
