from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.ResourceListView.as_view(), name="list"),
    path("help-checker/", views.HelpCheckerView.as_view(), name="help_checker"),
    path("<slug:slug>/", views.ResourceDetailView.as_view(), name="detail"),
    path("<slug:slug>/download/", views.ResourceDownloadView.as_view(), name="download"),
    path("<slug:slug>/feedback/", views.ResourceFeedbackView.as_view(), name="feedback"),
    path("<slug:slug>/save/", views.ResourceSaveView.as_view(), name="save"),
]
