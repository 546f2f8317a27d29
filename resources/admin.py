import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.bilingual_admin import FilledOnSaveAdmin, WelshVersionFilter, in_welsh
from resources import services
from resources.models import (
    BestBet,
    Entitlement,
    EntitlementRule,
    Resource,
    ResourceFeedback,
    SearchCount,
    SearchSynonym,
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
            "staff_only",
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
class ResourceAdmin(FilledOnSaveAdmin):
    form = ResourceAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title",
        "kind",
        "status",
        "published_at",
        "review_due_on",
        "featured",
        "staff_only",
        in_welsh,
        "useful_votes",
    ]
    list_filter = [
        "status",
        ReviewOverdueFilter,
        "kind",
        "featured",
        "staff_only",
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
                    "staff_only",
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


# Search: synonyms, best bets, and what carers look for and do not find -----------------------


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "means", "both_ways"]
    list_filter = ["both_ways"]
    search_fields = ["term", "means"]


@admin.register(BestBet)
class BestBetAdmin(admin.ModelAdmin):
    list_display = ["query", "resource", "order"]
    list_select_related = ["resource"]
    search_fields = ["query", "resource__title"]
    autocomplete_fields = ["resource"]


SEARCH_REPORT_DAYS = 30  # the changelist and the reports look this far back, today included
SEARCH_REPORT_LIMIT = 50  # rows in each report
NOTHING_FOUND = "nothing_found"
NOTHING_OPENED = "nothing_opened"
SEARCH_REPORTS = {
    NOTHING_FOUND: _("Searches that found nothing"),
    NOTHING_OPENED: _("Searches where nothing was opened"),
}


def search_report_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the last SEARCH_REPORT_DAYS days."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=SEARCH_REPORT_DAYS - 1), today


def search_report(
    report: str, *, today: datetime.date | None = None, limit: int = SEARCH_REPORT_LIMIT
) -> dict:
    """The searches of the last 30 days that found nothing (NOTHING_FOUND), or that found
    something of which nothing was opened (NOTHING_OPENED), by query: the `limit` made most
    often, and the totals of all of them."""
    first, last = search_report_period(today)
    recent = SearchCount.objects.filter(day__gte=first, day__lte=last)
    if report == NOTHING_FOUND:
        grouped = recent.filter(results=0).values("query")
    else:
        grouped = recent.filter(results__gt=0).values("query")
    grouped = grouped.annotate(
        total_searches=Sum("searches"),
        total_opened=Sum("opened"),
        days=Count("pk"),
        last_day=Max("day"),
    )
    if report == NOTHING_OPENED:
        # Nothing opened on any day it found something; "results" is the latest day's count.
        latest = recent.filter(query=OuterRef("query"), results__gt=0).order_by("-day")
        grouped = grouped.filter(total_opened=0).annotate(
            last_results=Subquery(latest.values("results")[:1])
        )
    totals = grouped.aggregate(queries=Count("query"), searches=Sum("total_searches"))
    rows = list(grouped.order_by("-total_searches", "query")[:limit])
    return {
        "rows": rows,
        "queries": totals["queries"] or 0,
        "searches": totals["searches"] or 0,
        "first": first,
        "last": last,
    }


@admin.register(SearchCount)
class SearchCountAdmin(admin.ModelAdmin):
    """What carers search for, by query over the last 30 days: only the words, never who.
    Read-only: rows are written by the search page and go only by the retention schedule."""

    list_display = [
        "query",
        "total_searches",
        "last_results",
        "total_opened",
        "days_searched",
        "last_searched",
        "follow_up",
    ]
    list_display_links = None
    search_fields = ["query"]

    def get_queryset(self, request):
        """One row per query (its latest day), with the totals of the last 30 days."""
        first, last = search_report_period()
        by_query = {"partition_by": [F("query")]}
        # Not super(): it would order by the annotations below before they exist.
        return (
            SearchCount.objects.filter(day__gte=first, day__lte=last)
            .annotate(
                total_searches_=Window(Sum("searches"), **by_query),
                total_opened_=Window(Sum("opened"), **by_query),
                days_searched_=Window(Count("pk"), **by_query),
                latest_=Window(RowNumber(), order_by=F("day").desc(), **by_query),
            )
            .filter(latest_=1)
        )

    def get_ordering(self, request):
        return ["-total_searches_", "query"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # only the retention schedule deletes counts

    @admin.display(description=_("searches (30 days)"), ordering="total_searches_")
    def total_searches(self, obj):
        return obj.total_searches_

    @admin.display(description=_("results (last time)"), ordering="results")
    def last_results(self, obj):
        return obj.results

    @admin.display(description=_("results opened (30 days)"), ordering="total_opened_")
    def total_opened(self, obj):
        return obj.total_opened_

    @admin.display(description=_("days searched"), ordering="days_searched_")
    def days_searched(self, obj):
        return obj.days_searched_

    @admin.display(description=_("last searched"), ordering="day")
    def last_searched(self, obj):
        return obj.day

    @admin.display(description=_("follow up"))
    def follow_up(self, obj):
        return format_html(
            '<a href="{}">{}</a> &middot; <a href="{}">{}</a>',
            synonym_add_url(obj.query),
            gettext("Add a synonym"),
            library_search_url(obj.query),
            gettext("Search the library"),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "search_reports": [
                (reverse(f"admin:resources_searchcount_{report}"), title)
                for report, title in SEARCH_REPORTS.items()
            ],
            "title": gettext("What people search for"),
            "subtitle": gettext("The last %(days)s days, by search") % {"days": SEARCH_REPORT_DAYS},
        }
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "nothing-found/",
                view(self.report_view),
                {"report": NOTHING_FOUND},
                name=f"resources_searchcount_{NOTHING_FOUND}",
            ),
            path(
                "nothing-opened/",
                view(self.report_view),
                {"report": NOTHING_OPENED},
                name=f"resources_searchcount_{NOTHING_OPENED}",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request, report: str):
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = search_report(report)
        can_add_synonym = request.user.has_perm("resources.add_searchsynonym")
        for row in found["rows"]:
            row["synonym_url"] = synonym_add_url(row["query"]) if can_add_synonym else ""
            row["library_url"] = library_search_url(row["query"])
        other = NOTHING_OPENED if report == NOTHING_FOUND else NOTHING_FOUND
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            # CSS classes, as Django admin's own pages have them (kept out of the template's text).
            "body_class": f"app-{self.opts.app_label} model-{self.opts.model_name} search-report",
            "title": SEARCH_REPORTS[report],
            "report": report,
            "days": SEARCH_REPORT_DAYS,
            "limit": SEARCH_REPORT_LIMIT,
            "other_report_url": reverse(f"admin:resources_searchcount_{other}"),
            "other_report_title": SEARCH_REPORTS[other],
            "has_view_permission": True,
            **found,
        }
        return TemplateResponse(request, "admin/resources/searchcount/search_report.html", context)


def synonym_add_url(query: str) -> str:
    return f"{reverse('admin:resources_searchsynonym_add')}?{urlencode({'term': query})}"


def library_search_url(query: str) -> str:
    return f"{reverse('resources:list')}?{urlencode({'q': query})}"
