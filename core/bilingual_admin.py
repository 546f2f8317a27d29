"""Admin pieces for bilingual content (core.i18n.Bilingual), shared by the apps' admins."""

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
