from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("language/", views.LanguageView.as_view(), name="language"),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    # allauth's address for setting up an authenticator app (mfa_activate_totp), answered by
    # the portal's view, which carries `next` through set-up.
    path(
        "2fa/totp/activate/",
        views.ActivateAuthenticatorAppView.as_view(),
        name="mfa_activate_totp",
    ),
    path(
        "2fa/recovery-codes/new/",
        views.NewRecoveryCodesView.as_view(),
        name="new_recovery_codes",
    ),
]
