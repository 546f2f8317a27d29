"""Carers' side of advice requests, at /advice/."""

from django.urls import path

from schools import views_advice

app_name = "advice"

urlpatterns = [
    path("", views_advice.CarerRequestListView.as_view(), name="list"),
    path("new/", views_advice.CarerRequestCreateView.as_view(), name="new"),
    path("<int:pk>/", views_advice.CarerRequestView.as_view(), name="detail"),
]
