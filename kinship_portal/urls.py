from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Kinship Portal administration"
admin.site.site_title = "Kinship Portal admin"
# Admins sign in through allauth, so its rate limits and MFA apply to /admin/ too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("core.urls")),
    path("", include("carers.urls")),
    path("resources/", include("resources.urls")),
    path("events/", include("events.urls")),
    path("school/", include("schools.urls")),
    path("advice/", include("schools.urls_advice")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
# Uploaded files are never served from MEDIA_URL: resources/<slug>/download/ checks who may see them.
