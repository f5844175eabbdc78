"""URL configuration: the HTML pages and the versioned HTTP API."""

from django.urls import include, path

from microcred_web.api import api
from microcred_web.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "ns/credentials/v1",
        views.jsonld_context,
        {"name": "ns/credentials/v1"},
        name="microcred-context",
    ),
    path("api/v1/", api.urls),
    path("", include("microcred_web.catalogue.urls")),
    path("", include("microcred_web.issuing.urls")),
    path("", include("microcred_web.verification.urls")),
    path("", include("microcred_web.editor.urls")),
    path("", include("microcred_web.dashboard.urls")),
    path("", include("microcred_web.team.urls")),
    path("", include("microcred_web.agency_workspace.urls")),
    path("", include("microcred_web.tasks.urls")),
    path("accounts/", include("microcred_web.security.urls")),
    path("", include("microcred_web.wallet.urls")),
    path("", include("microcred_web.operator.urls")),
]
