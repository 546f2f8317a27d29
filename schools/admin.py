from django.contrib import admin

from schools.models import LocalAuthority, StaffMembership, VirtualSchool


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "dfe_la_number", "nation", "kind"]
    list_filter = ["nation", "kind"]
    search_fields = ["name", "gss_code", "dfe_la_number"]


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(VirtualSchool)
class VirtualSchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "local_authority", "email", "phone"]
    search_fields = ["name", "local_authority__name"]
    list_select_related = ["local_authority"]
    autocomplete_fields = ["local_authority"]
    inlines = [StaffMembershipInline]
