"""Editor URLs: ``/dashboard/providers/<slug>/specifications/...`` (sign-in required)."""

from django.urls import path

from microcred_web.editor import views

app_name = "editor"

_BASE = "dashboard/providers/<slug:slug>/specifications/"

urlpatterns = [
    path(_BASE, views.specification_list, name="list"),
    path(_BASE + "new", views.new, name="new"),
    path(_BASE + "import", views.import_page, name="import"),
    path(_BASE + "<str:public_id>/", views.edit, name="edit"),
    path(_BASE + "<str:public_id>/history", views.history, name="history"),
    path(_BASE + "<str:public_id>/diff", views.version_diff, name="diff"),
    path(_BASE + "<str:public_id>/duplicate", views.duplicate, name="duplicate"),
    path(_BASE + "<str:public_id>/withdraw", views.withdraw, name="withdraw"),
]
