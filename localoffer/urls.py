from django.urls import path

from localoffer import views

app_name = "localoffer"

urlpatterns = [
    path("", views.ChooseCouncilView.as_view(), name="choose"),
    path("groups/", views.SupportGroupListView.as_view(), name="groups"),
    path("<slug:slug>/", views.LocalOfferView.as_view(), name="detail"),
]
