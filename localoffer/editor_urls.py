"""The council's own editors' pages, under /school/local-offer/ (staff pages: MFA first)."""

from django.urls import path

from localoffer import editor_views as views

app_name = "localoffer_editor"

urlpatterns = [
    path("", views.EditorHomeView.as_view(), name="home"),
    path("<slug:slug>/", views.ManageView.as_view(), name="manage"),
    path("<slug:slug>/details/", views.DetailsView.as_view(), name="details"),
    path("<slug:slug>/status/", views.StatusView.as_view(), name="status"),
    path("<slug:slug>/history/", views.HistoryView.as_view(), name="history"),
    path("<slug:slug>/sections/<slug:kind>/", views.SectionView.as_view(), name="section"),
    path(
        "<slug:slug>/sections/<slug:kind>/remove/",
        views.SectionRemoveView.as_view(),
        name="section_remove",
    ),
]
