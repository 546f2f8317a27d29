from django.urls import path
from django.views.generic import TemplateView

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="portal/accessibility.html"),
        name="accessibility",
    ),
    path("cookies/", TemplateView.as_view(template_name="portal/cookies.html"), name="cookies"),
]
