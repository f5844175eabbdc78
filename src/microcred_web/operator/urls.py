"""The operator's pages (``/operator/...``, the operator only), the public registration form
(``/register-organisation/``), the welcome link, and records' history (``/history/...``)."""

from django.urls import path

from microcred_web.operator import views

app_name = "operator"

urlpatterns = [
    path("register-organisation/", views.register_organisation, name="register"),
    path("register-organisation/sent/", views.register_sent, name="register-sent"),
    path(
        "welcome/set-password/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="set-password",
    ),
    path("welcome/password-set/", views.password_set, name="password-set"),
    path("operator/", views.home, name="home"),
    path("operator/requests/", views.requests, name="requests"),
    path("operator/requests/<str:public_id>/", views.request_detail, name="request"),
    path("operator/requests/<str:public_id>/approve", views.request_approve, name="approve"),
    path("operator/requests/<str:public_id>/reject", views.request_reject, name="reject"),
    path("operator/providers/", views.provider_list, name="providers"),
    path("operator/providers/<slug:slug>/", views.provider_edit, name="provider"),
    path("operator/providers/<slug:slug>/merge", views.provider_merge, name="merge"),
    path("operator/agencies/", views.agency_list, name="agencies"),
    path("operator/agencies/<slug:slug>/", views.agency_edit, name="agency"),
    path("operator/accounts/", views.account_list, name="accounts"),
    path("operator/accounts/<int:pk>/", views.account_detail, name="account"),
    path("operator/accounts/<int:pk>/grant", views.account_grant, name="grant"),
    path(
        "operator/accounts/<int:pk>/memberships/<int:membership_id>/remove",
        views.account_remove,
        name="remove-membership",
    ),
    path("operator/accounts/<int:pk>/deactivate", views.account_deactivate, name="deactivate"),
    path("operator/emergency/", views.emergency_action, name="emergency"),
    path("operator/audit/", views.audit, name="audit"),
    path("history/providers/<slug:slug>/", views.provider_history, name="provider-history"),
    path("history/agencies/<slug:slug>/", views.agency_history, name="agency-history"),
    path(
        "history/specifications/<str:public_id>/",
        views.specification_history,
        name="specification-history",
    ),
]
