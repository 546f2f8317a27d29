from django.contrib import admin

from carers.models import CarerProfile, ConsentEvent
from core.bilingual_admin import FilledOnSaveAdmin


@admin.register(CarerProfile)
class CarerProfileAdmin(FilledOnSaveAdmin):
    list_display = ["user", "local_authority", "arrangement", "digest_frequency", "onboarded_at"]
    list_filter = ["arrangement", "digest_frequency", "local_authority__nation"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "local_authority"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["local_authority"]
    readonly_fields = [
        "onboarded_at",
        "created_at",
        "updated_at",
        # Text messages are the carer's own to set up, verify and stop (carers/texts.py).
        "mobile_number",
        "mobile_verified_at",
        "text_consent_statement",
        "text_consent_at",
        "text_channels",
        "texts_stopped_at",
        "text_failed_at",
    ]
    # Children are not shown here: nobody in admin needs a child's name or school.


@admin.register(ConsentEvent)
class ConsentEventAdmin(admin.ModelAdmin):
    """Consent records are evidence: they can be read, never changed."""

    list_display = ["child", "action", "recorded_by", "recorded_at"]
    list_select_related = ["child", "recorded_by"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
