from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminInvitationForm
from accounts.models import Invitation, User
from accounts.services import invitation_create

# Authenticators hold two-factor secrets: nobody sees or edits them in admin. A person who
# loses their phone uses a recovery code, or a head removes and re-invites them.
admin.site.unregister(Authenticator)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Content admins invite Virtual School heads and other content admins from here."""

    form = AdminInvitationForm
    list_display = ["email", "role", "virtual_school", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "accepted_at"]
    search_fields = ["email"]
    list_select_related = ["virtual_school"]
    readonly_fields = ["invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form has already run invitation_check, so this only fails on a race.
        created = invitation_create(
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            virtual_school=form.cleaned_data.get("virtual_school"),
            invited_by=request.user,
        )
        obj.pk = created.pk
        obj.token = created.token
        messages.success(
            request, gettext("Invitation sent to %(email)s") % {"email": created.email}
        )
