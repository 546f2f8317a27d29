"""Content admins keep every council's local offer and the support groups directory."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bilingual_admin import FilledOnSaveAdmin, WelshVersionFilter, in_welsh
from localoffer import services
from localoffer.admin_coverage import CoverageReportMixin
from localoffer.models import LocalOffer, LocalOfferChange, LocalOfferSection, SupportGroup

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class LocalOfferSectionInline(admin.StackedInline):
    model = LocalOfferSection
    extra = 0
    formfield_overrides = URL_FIELDS
    # English and Welsh side by side; Welsh left empty shows the English.
    fields = ["kind", ("body", "body_cy"), "link_url", ("link_text", "link_text_cy")]


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue for review"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(review_due_on__lt=timezone.localdate())
        return queryset


@admin.register(LocalOffer)
class LocalOfferAdmin(CoverageReportMixin, FilledOnSaveAdmin):
    list_display = ["local_authority", "status", "last_reviewed_on", "review_due_on", in_welsh]
    list_filter = ["status", ReviewOverdueFilter, "local_authority__nation", WelshVersionFilter]
    search_fields = ["local_authority__name", "slug"]
    autocomplete_fields = ["local_authority"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [LocalOfferSectionInline]
    fieldsets = [
        (None, {"fields": ["local_authority", "slug", ("intro", "intro_cy")]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "last_reviewed_on",
                    "review_due_on",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("local_authority")

    # A content admin's change goes in the offer's history, as an editor's does: the offer
    # and its sections are compared before the form is saved and after its sections are.

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            saved = LocalOffer.objects.select_for_update().get(pk=obj.pk)
            before = services.snapshot(saved)
        request._local_offer_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        offer = form.instance
        services.record_changes(
            offer=offer,
            by=request.user,
            before=request._local_offer_before,
            after=services.snapshot(offer),
        )


@admin.register(LocalOfferChange)
class LocalOfferChangeAdmin(admin.ModelAdmin):
    """The history of every council's offer, to read: it is never changed."""

    list_display = ["offer", "action", "part", "changed_by_label", "at"]
    list_filter = ["action", "offer__local_authority__nation"]
    search_fields = ["offer__local_authority__name", "changed_by_label"]
    list_select_related = ["offer__local_authority"]
    readonly_fields = ["offer", "at", "changed_by_label", "part", "action", "changes"]
    exclude = ["changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SupportGroupAdminForm(forms.ModelForm):
    class Meta:
        model = SupportGroup
        exclude: list[str] = []  # every field, laid out by the admin's fieldsets

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("week_of_month") and cleaned.get("weekday") is None:
            self.add_error("weekday", _("Choose the day the group meets"))
        return cleaned


@admin.register(SupportGroup)
class SupportGroupAdmin(FilledOnSaveAdmin):
    form = SupportGroupAdminForm
    list_display = ["name", "local_authority", "format", "published", in_welsh]
    list_filter = ["published", "format", "local_authority__nation", WelshVersionFilter]
    search_fields = ["name", "name_cy", "description", "run_by"]
    autocomplete_fields = ["local_authority", "events"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name", "name_cy"),
                    ("description", "description_cy"),
                    "local_authority",
                    "themes",
                    "run_by",
                    "published",
                ]
            },
        ),
        (
            _("Where and when"),
            {
                "fields": [
                    "format",
                    "venue",
                    "access_information",
                    ("week_of_month", "weekday"),
                    ("starts_at", "ends_at"),
                ]
            },
        ),
        (
            _("Joining"),
            {"fields": ["how_to_join", "contact_email", "contact_phone", "events"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("local_authority")
