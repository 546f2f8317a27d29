from django.urls import path

from schools.views import advice, audit, home, imports, records, reports, staff

app_name = "schools"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("staff/", staff.StaffListView.as_view(), name="staff"),
    path("staff/invite/", staff.StaffInviteView.as_view(), name="staff_invite"),
    path("staff/<int:pk>/remove/", staff.StaffRemoveView.as_view(), name="staff_remove"),
    path(
        "staff/<int:pk>/local-offer/",
        staff.StaffLocalOfferEditorView.as_view(),
        name="staff_local_offer",
    ),
    # Pupils (their CSV import and export too), reviews, liaison and schools
    path("pupils/", records.PupilListView.as_view(), name="pupils"),
    path("pupils/add/", records.PupilCreateView.as_view(), name="pupil_add"),
    path("pupils/import/", imports.PupilImportView.as_view(), name="pupil_import"),
    path("pupils/export.csv", reports.PupilExportView.as_view(), name="pupils_export"),
    path("pupils/<int:pk>/", records.PupilDetailView.as_view(), name="pupil_detail"),
    path("pupils/<int:pk>/edit/", records.PupilUpdateView.as_view(), name="pupil_edit"),
    path("pupils/<int:pk>/link/", records.PupilLinkChildView.as_view(), name="pupil_link"),
    path("pupils/<int:pk>/reviews/add/", records.ReviewCreateView.as_view(), name="review_add"),
    path("reviews/<int:pk>/edit/", records.ReviewUpdateView.as_view(), name="review_edit"),
    path("liaison/", records.LiaisonListView.as_view(), name="liaison"),
    path("liaison/add/", records.LiaisonCreateView.as_view(), name="liaison_add"),
    path("liaison/<int:pk>/edit/", records.LiaisonUpdateView.as_view(), name="liaison_edit"),
    path("liaison/<int:pk>/done/", records.LiaisonDoneView.as_view(), name="liaison_done"),
    path("schools/", records.SchoolListView.as_view(), name="schools"),
    path("schools/add/", records.SchoolCreateView.as_view(), name="school_add"),
    path("schools/<int:pk>/edit/", records.SchoolUpdateView.as_view(), name="school_edit"),
    # Reports and exports: schools/views/reports.py; the audit log: schools/views/audit.py
    path("reports/", reports.ReportsView.as_view(), name="reports"),
    path("reports/export.csv", reports.ReportsExportView.as_view(), name="reports_export"),
    path("audit/", audit.AuditLogView.as_view(), name="audit"),
    # Advice requests from carers, staff side: schools/views/advice.py
    path("advice/", advice.InboxView.as_view(), name="advice_inbox"),
    path("advice/<int:pk>/", advice.StaffRequestView.as_view(), name="advice_detail"),
    path(
        "advice/<int:pk>/add-pupil/", advice.AdvicePupilAddView.as_view(), name="advice_pupil_add"
    ),
    path(
        "advice/<int:pk>/link-pupil/",
        advice.AdvicePupilLinkView.as_view(),
        name="advice_pupil_link",
    ),
]
