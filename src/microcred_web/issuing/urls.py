"""Issuer URLs: DID documents where did:web puts them, and status lists."""

from django.urls import path

from microcred_web.issuing import views

app_name = "issuing"

urlpatterns = [
    path("providers/<slug:slug>/did.json", views.did_document, name="did-document"),
    path(
        "status/<slug:slug>/<str:purpose>/<int:number>",
        views.status_list,
        name="status-list",
    ),
]
