from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.bilingual_admin import WelshVersionFilter, in_welsh
from resources import services
from resources.models import (
    Entitlement,
    EntitlementRule,
    Resource,
    ResourceFeedback,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_cy", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_cy"]
    # English and Welsh side by side.
    fields = [("name", "name_cy"), "slug", ("description", "description_cy")]


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Review overdue")), ("due_30", _("Due in the next 30 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(review_due_on__lt=today)
        if self.value() == "due_30":
            return queryset.filter(
                review_due_on__gte=today, review_due_on__lte=today + timezone.timedelta(days=30)
            )
        return queryset


def _https_urls(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ResourceAdminForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = [
            "title",
            "title_cy",
            "slug",
            "summary",
            "summary_cy",
            "body",
            "body_cy",
            "kind",
            "file",
            "external_url",
            "topics",
            "audiences",
            "arrangements",
            "stages",
            "local_authority",
            "source_organisation",
            "featured",
            "status",
            "published_at",
            "last_reviewed_on",
            "review_due_on",
        ]
        formfield_callback = staticmethod(_https_urls)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            services.validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Resource.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        if cleaned.get("kind") == Resource.Kind.LINK and not cleaned.get("external_url"):
            self.add_error("external_url", gettext("Enter the web address for an external link"))
        if cleaned.get("kind") == Resource.Kind.DOCUMENT and not (
            cleaned.get("file") or self.instance.file
        ):
            self.add_error("file", gettext("Upload the document"))
        return cleaned


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title",
        "kind",
        "status",
        "published_at",
        "review_due_on",
        "featured",
        in_welsh,
        "useful_votes",
    ]
    list_filter = [
        "status",
        ReviewOverdueFilter,
        "kind",
        "featured",
        "topics",
        "local_authority__nation",
        WelshVersionFilter,
    ]
    search_fields = ["title", "title_cy", "summary", "body", "source_organisation"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    autocomplete_fields = ["local_authority"]
    date_hierarchy = "published_at"
    actions = ["publish_selected", "archive_selected", "mark_reviewed"]
    readonly_fields = ["preview_link", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                # English and Welsh side by side; Welsh left empty shows the English.
                "fields": [
                    ("title", "title_cy"),
                    "slug",
                    ("summary", "summary_cy"),
                    ("body", "body_cy"),
                    "kind",
                    "file",
                    "external_url",
                    "preview_link",
                ]
            },
        ),
        (
            _("Who it is for"),
            {
                "fields": [
                    "topics",
                    "audiences",
                    "arrangements",
                    "stages",
                    "local_authority",
                    "source_organisation",
                    "featured",
                ]
            },
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "last_reviewed_on",
                    "review_due_on",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                useful_count=Count("feedback", filter=Q(feedback__useful=True)),
                feedback_count=Count("feedback"),
            )
        )

    @admin.display(description=_("Useful (yes / answers)"))
    def useful_votes(self, obj):
        return f"{obj.useful_count} / {obj.feedback_count}"

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        if not obj.pk:
            return gettext("Save first to preview")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.get_absolute_url(),
            gettext("Preview on the site"),
        )

    @admin.action(description=_("Publish selected resources now (scheduled ones keep their time)"))
    def publish_selected(self, request, queryset):
        count = 0
        for resource in queryset:
            scheduled = (
                resource.published_at
                if resource.published_at and resource.published_at > timezone.now()
                else None
            )
            services.resource_publish(resource=resource, at=scheduled)
            count += 1
        messages.success(request, gettext("%(count)s resource(s) published.") % {"count": count})

    @admin.action(description=_("Archive selected resources"))
    def archive_selected(self, request, queryset):
        for resource in queryset:
            services.resource_archive(resource=resource)
        messages.success(
            request, gettext("%(count)s resource(s) archived.") % {"count": queryset.count()}
        )

    @admin.action(
        description=_("Mark selected resources as reviewed today (next review in a year)")
    )
    def mark_reviewed(self, request, queryset):
        for resource in queryset:
            services.resource_mark_reviewed(resource=resource)
        messages.success(
            request,
            gettext("%(count)s resource(s) marked as reviewed.") % {"count": queryset.count()},
        )


@admin.register(ResourceFeedback)
class ResourceFeedbackAdmin(admin.ModelAdmin):
    list_display = ["resource", "useful", "comment", "created_at"]
    list_filter = ["useful"]
    search_fields = ["resource__title", "comment"]
    list_select_related = ["resource"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EntitlementRuleInline(admin.StackedInline):
    model = EntitlementRule
    extra = 0
    autocomplete_fields = ["local_authority"]


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin):
    """The help checker's rules: condition → entitlement → resources."""

    list_display = ["name", in_welsh, "order"]
    fields = [("name", "name_cy"), ("summary", "summary_cy"), "resources", "order"]
    filter_horizontal = ["resources"]
    inlines = [EntitlementRuleInline]
