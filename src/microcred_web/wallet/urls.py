"""Wallet URLs (namespace ``wallet``). Names the others rely on: ``sign-in`` (the learner's
sign-in page), ``share`` (``s/<token>/``, the public share page), ``home`` (the wallet)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from microcred_web.wallet import views_signin

app_name = "wallet"

urlpatterns: list[URLPattern | URLResolver] = [
    path("wallet/sign-in/", views_signin.sign_in_page, name="sign-in"),
    path("wallet/sign-in/<str:token>/", views_signin.sign_in_link, name="sign-in-link"),
    path("wallet/sign-out/", views_signin.sign_out, name="sign-out"),
    path("wallet/addresses/", views_signin.addresses, name="addresses"),
    path(
        "wallet/addresses/<int:address_id>/remove/",
        views_signin.address_remove,
        name="address-remove",
    ),
    path("wallet/verify/<str:token>/", views_signin.verify_address, name="verify-address"),
    path("wallet/claim/<str:token>/", views_signin.claim, name="claim"),
    path("wallet/outbox/", views_signin.outbox_page, name="outbox"),
]
