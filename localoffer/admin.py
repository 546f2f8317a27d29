"""Content admins keep every council's local offer and the support groups directory."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bilingual_admin import FilledOnSaveAdmin, WelshVersionFilter, in_welsh
from localoffer.models import LocalOffer, LocalOfferSection, SupportGroup

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
class LocalOfferAdmin(FilledOnSaveAdmin):
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
