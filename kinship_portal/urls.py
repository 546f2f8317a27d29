from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Kinship Portal administration")
admin.site.site_title = _("Kinship Portal admin")
# Admins sign in through allauth, so its rate limits and MFA apply to /admin/ too.
admin.site.login = secure_admin_login(admin.site.login)

# Health check and the language switcher have one address; every page has two: English at
# /…, Welsh at /cy/… (core.i18n).
urlpatterns = [path("", include("core.urls"))]
urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path("", include("carers.urls")),
    path("resources/", include("resources.urls")),
    path("events/", include("events.urls")),
    path("training/", include("professionals.urls")),
    path("local-offer/", include("localoffer.urls")),
    # The council's editors keep its local offer: a staff page, so before school/.
    path("school/local-offer/", include("localoffer.editor_urls")),
    path("school/", include("schools.urls")),
    path("advice/", include("schools.urls_advice")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
# Uploaded files are never served from MEDIA_URL: resources/<slug>/download/ checks who may see them.
