"""Background-job pages: ``/jobs/...`` and the bulk upload under the provider dashboard."""

from django.urls import path

from microcred_web.tasks import views

app_name = "tasks"

urlpatterns = [
    path("jobs/", views.job_list, name="list"),
    path("jobs/reindex", views.start_reindex, name="reindex"),
    path("jobs/publish-status-lists", views.start_publish, name="publish"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/progress.json", views.progress, name="progress"),
    path("jobs/<uuid:job_id>/report.<str:fmt>", views.report_download, name="report"),
    path("dashboard/providers/<slug:slug>/bulk-issue", views.bulk_issue, name="bulk-issue"),
]
