"""Catalogue URLs. ``/providers/<slug>/did.json`` is left free for the issuer identity."""

from django.urls import path

from microcred_web.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", views.search_page, name="search"),
    path(
        "catalogue/specifications/<str:public_id>/",
        views.specification_page,
        name="specification",
    ),
    path("providers/", views.providers_index, name="providers"),
    path("agencies/", views.agencies_index, name="agencies"),
    path("providers/<slug:slug>/", views.provider_page, name="provider"),
    path("agencies/<slug:slug>/", views.agency_page, name="agency"),
]
