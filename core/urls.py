from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("language/<str:language>/", views.switch_language, name="language"),
    path("notify/callback/", views.notify_callback, name="notify_callback"),
]
