"""Dashboard URLs: ``/dashboard/...`` (sign-in required)."""

from django.urls import path

from microcred_web.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.home, name="home"),
    path("dashboard/providers/<slug:slug>/", views.provider, name="provider"),
    path("dashboard/providers/<slug:slug>/issue", views.issue, name="issue"),
    path(
        "dashboard/providers/<slug:slug>/credentials/<uuid:credential_id>/status",
        views.change_status,
        name="status",
    ),
    path(
        "dashboard/providers/<slug:slug>/credentials/<uuid:credential_id>/revoke",
        views.confirm_revoke,
        name="confirm-revoke",
    ),
    path("dashboard/providers/<slug:slug>/rotate-key", views.rotate, name="rotate"),
    path(
        "dashboard/credentials/<uuid:credential_id>.json",
        views.download,
        name="download",
    ),
]
