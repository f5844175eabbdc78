"""Wallet URLs (namespace ``wallet``). Names the others rely on: ``sign-in`` (the learner's
sign-in page), ``share`` (``s/<token>/``, the public share page), ``home`` (the wallet)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from microcred_web.wallet import views_share

app_name = "wallet"

urlpatterns: list[URLPattern | URLResolver] = [
    # Share links (views_share): the learner's pages, then the public ones.
    path("wallet/shares/", views_share.share_list, name="shares"),
    path("wallet/shares/new/entry/<uuid:entry>/", views_share.share_entry, name="share-entry"),
    path(
        "wallet/shares/new/collection/<uuid:collection>/",
        views_share.share_collection,
        name="share-collection",
    ),
    path("wallet/shares/<uuid:share>/revoke/", views_share.share_revoke, name="share-revoke"),
    path("s/<str:token>/", views_share.share, name="share"),
    path("s/<str:token>/credential.json", views_share.share_json, name="share-json"),
    path("s/<str:token>/<uuid:entry>/", views_share.share_item, name="share-item"),
    path(
        "s/<str:token>/<uuid:entry>/credential.json",
        views_share.share_item_json,
        name="share-item-json",
    ),
]
