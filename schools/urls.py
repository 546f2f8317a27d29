from django.urls import path

from schools import views, views_advice, views_records

app_name = "schools"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("staff/", views.StaffListView.as_view(), name="staff"),
    path("staff/invite/", views.StaffInviteView.as_view(), name="staff_invite"),
    path("staff/<int:pk>/remove/", views.StaffRemoveView.as_view(), name="staff_remove"),
    # Pupils, reviews, liaison, schools, reports, audit: schools/views_records.py
    path("pupils/", views_records.PupilListView.as_view(), name="pupils"),
    path("pupils/add/", views_records.PupilCreateView.as_view(), name="pupil_add"),
    path("pupils/import/", views_records.PupilImportView.as_view(), name="pupil_import"),
    path("pupils/export.csv", views_records.PupilExportView.as_view(), name="pupils_export"),
    path("pupils/<int:pk>/", views_records.PupilDetailView.as_view(), name="pupil_detail"),
    path("pupils/<int:pk>/edit/", views_records.PupilUpdateView.as_view(), name="pupil_edit"),
    path("pupils/<int:pk>/link/", views_records.PupilLinkChildView.as_view(), name="pupil_link"),
    path(
        "pupils/<int:pk>/reviews/add/", views_records.ReviewCreateView.as_view(), name="review_add"
    ),
    path("reviews/<int:pk>/edit/", views_records.ReviewUpdateView.as_view(), name="review_edit"),
    path("liaison/", views_records.LiaisonListView.as_view(), name="liaison"),
    path("liaison/add/", views_records.LiaisonCreateView.as_view(), name="liaison_add"),
    path("liaison/<int:pk>/edit/", views_records.LiaisonUpdateView.as_view(), name="liaison_edit"),
    path("liaison/<int:pk>/done/", views_records.LiaisonDoneView.as_view(), name="liaison_done"),
    path("schools/", views_records.SchoolListView.as_view(), name="schools"),
    path("schools/add/", views_records.SchoolCreateView.as_view(), name="school_add"),
    path("schools/<int:pk>/edit/", views_records.SchoolUpdateView.as_view(), name="school_edit"),
    path("reports/", views_records.ReportsView.as_view(), name="reports"),
    path("reports/export.csv", views_records.ReportsExportView.as_view(), name="reports_export"),
    path("audit/", views_records.AuditLogView.as_view(), name="audit"),
    # Advice requests from carers: schools/views_advice.py
    path("advice/", views_advice.InboxView.as_view(), name="advice_inbox"),
    path("advice/<int:pk>/", views_advice.StaffRequestView.as_view(), name="advice_detail"),
]
