from django.urls import path

from professionals import views

app_name = "professionals"

urlpatterns = [
    path("", views.TrainingHomeView.as_view(), name="home"),
    path("sign-up/", views.ProfessionalSignupView.as_view(), name="signup"),
    path("details/", views.ProfessionalDetailsView.as_view(), name="details"),
    path("record.csv", views.TrainingRecordCsvView.as_view(), name="record_csv"),
    path("certificates/<int:pk>/", views.CertificateView.as_view(), name="certificate"),
]
