from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("staff/", views.StaffListView.as_view(), name="staff"),
    path("staff/invite/", views.StaffInviteView.as_view(), name="staff_invite"),
    path("staff/<int:pk>/remove/", views.StaffRemoveView.as_view(), name="staff_remove"),
]
