"""Wallet URLs (namespace ``wallet``). Names the others rely on: ``sign-in`` (the learner's
sign-in page), ``share`` (``s/<token>/``, the public share page), ``home`` (the wallet)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from microcred_web.wallet import views_present

app_name = "wallet"

urlpatterns: list[URLPattern | URLResolver] = [
    path("wallet/present/", views_present.present, name="present"),
]
