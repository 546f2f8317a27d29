from django.urls import path

from carers import views

app_name = "carers"

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/start/", views.OnboardingView.as_view(), name="onboarding"),
    path("profile/edit/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("profile/children/add/", views.ChildCreateView.as_view(), name="child_add"),
    path("profile/children/<int:pk>/edit/", views.ChildUpdateView.as_view(), name="child_edit"),
    path("profile/children/<int:pk>/remove/", views.ChildDeleteView.as_view(), name="child_delete"),
    path(
        "profile/children/<int:pk>/sharing/", views.ChildSharingView.as_view(), name="child_sharing"
    ),
    path("profile/export/", views.ExportView.as_view(), name="export"),
    path("profile/export/download/", views.ExportDownloadView.as_view(), name="export_download"),
    path("profile/delete/", views.DeleteAccountView.as_view(), name="delete"),
    path(
        "profile/sign-out-elsewhere/",
        views.SignOutElsewhereView.as_view(),
        name="sign_out_elsewhere",
    ),
    path("profile/texts/", views.TextStartView.as_view(), name="texts"),
    path("profile/texts/verify/", views.TextVerifyView.as_view(), name="texts_verify"),
    path("profile/texts/verify/resend/", views.TextResendView.as_view(), name="texts_resend"),
    path("profile/texts/choices/", views.TextChoicesView.as_view(), name="texts_choices"),
    path("profile/texts/stop/", views.TextStopView.as_view(), name="texts_stop"),
    path("profile/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
