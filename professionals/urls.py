from django.urls import path

from professionals import views

app_name = "professionals"

urlpatterns = [
    path("", views.TrainingHomeView.as_view(), name="home"),
    path("sign-up/", views.ProfessionalSignupView.as_view(), name="signup"),
    path("details/", views.ProfessionalDetailsView.as_view(), name="details"),
    path("emails/", views.EmailPreferencesView.as_view(), name="emails"),
    path("record.csv", views.TrainingRecordCsvView.as_view(), name="record_csv"),
    path("certificates/<int:pk>/", views.CertificateView.as_view(), name="certificate"),
    path("your-data/", views.ExportView.as_view(), name="export"),
    path("your-data/download/", views.ExportDownloadView.as_view(), name="export_download"),
    path("your-data/bookings.csv", views.ExportCsvView.as_view(), name="export_csv"),
    path("close-account/", views.DeleteAccountView.as_view(), name="delete"),
]
