"""Admin pieces shared by the apps' admins: for bilingual content (core.i18n.Bilingual), and
for fields the database fills in."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class WelshVersionFilter(admin.SimpleListFilter):
    """For curators: which content still has no Welsh (core.i18n.Bilingual)."""

    title = _("Welsh version")
    parameter_name = "welsh"

    def lookups(self, request, model_admin):
        return [("yes", _("Written in Welsh")), ("no", _("Not yet in Welsh"))]

    def queryset(self, request, queryset):
        field = f"{queryset.model.WELSH_FIELDS[0]}_cy"
        if self.value() == "yes":
            return queryset.exclude(**{field: ""})
        if self.value() == "no":
            return queryset.filter(**{field: ""})
        return queryset


@admin.display(boolean=True, description=_("In Welsh"))
def in_welsh(obj) -> bool:
    return obj.has_welsh


class FilledOnSaveAdmin(admin.ModelAdmin):
    """Leaves off an add page the read-only fields the database fills in when the row is saved
    (`db_default`, like `created_at = Now()`): an unsaved object has no value for them yet, and
    Django would print its placeholder ("<DatabaseDefault object at 0x…>"). They show once saved."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        readonly = set(self.get_readonly_fields(request, obj))
        unsaved = {
            field.name
            for field in self.model._meta.concrete_fields
            if field.has_db_default() and field.name in readonly
        }
        shown = []
        for name, options in fieldsets:
            fields = [_without(row, unsaved) for row in options["fields"]]
            if fields := [row for row in fields if row]:
                shown.append((name, {**options, "fields": fields}))
        return shown


def _without(row, names: set[str]):
    """A fieldset row (a field name, or names shown side by side) less `names`."""
    if isinstance(row, (list, tuple)):
        return tuple(name for name in row if name not in names)
    return None if row in names else row
