from django.contrib import admin

from schools.models import AuditEntry, LocalAuthority, School, VirtualSchool


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "dfe_la_number", "nation", "kind"]
    list_filter = ["nation", "kind"]
    search_fields = ["name", "gss_code", "dfe_la_number"]


@admin.register(VirtualSchool)
class VirtualSchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "local_authority", "email", "phone"]
    search_fields = ["name", "local_authority__name"]
    list_select_related = ["local_authority"]
    autocomplete_fields = ["local_authority"]
    # Who is on the team changes only at /school/staff/, by the head, in the audit log.


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase", "local_authority", "virtual_school"]
    list_filter = ["phase", "virtual_school"]
    search_fields = ["name", "urn"]
    list_select_related = ["local_authority", "virtual_school"]
    autocomplete_fields = ["local_authority"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody can edit or delete the audit log."""

    list_display = [
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "summary",
        "virtual_school",
    ]
    list_filter = ["action", "virtual_school"]
    search_fields = ["actor_label", "summary"]
    list_select_related = ["virtual_school"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
