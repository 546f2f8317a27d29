"""Carers' side of advice requests, at /advice/."""

from django.urls import path

from schools.views import carer_advice

app_name = "advice"

urlpatterns = [
    path("", carer_advice.CarerRequestListView.as_view(), name="list"),
    path("new/", carer_advice.CarerRequestCreateView.as_view(), name="new"),
    path("<int:pk>/", carer_advice.CarerRequestView.as_view(), name="detail"),
]
