"""Agency workspace URLs: ``/dashboard/agencies/<slug>/...`` (sign-in required)."""

from django.urls import path

from microcred_web.agency_workspace import views

app_name = "agency_workspace"

_BASE = "dashboard/agencies/<slug:slug>/"

urlpatterns = [
    path(_BASE, views.workspace, name="workspace"),
    path(_BASE + "record", views.agency_record, name="record"),
    path(_BASE + "results/new", views.new_result, name="new-result"),
    path(_BASE + "results/<str:public_id>/edit", views.edit_result, name="edit-result"),
    path(_BASE + "results/<str:public_id>/withdraw", views.withdraw_result, name="withdraw"),
    path(_BASE + "providers", views.provider_search, name="provider-search"),
]
