"""Wallet URLs (namespace ``wallet``). Names the others rely on: ``sign-in`` (the learner's
sign-in page), ``share`` (``s/<token>/``, the public share page), ``home`` (the wallet),
``entry`` (one credential, ``wallet/credentials/<public_id>/``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from microcred_web.wallet import views_pages

app_name = "wallet"

urlpatterns: list[URLPattern | URLResolver] = [
    path("wallet/", views_pages.home, name="home"),
    path("wallet/credentials/<uuid:public_id>/", views_pages.entry_page, name="entry"),
    path(
        "wallet/credentials/<uuid:public_id>/credential.json",
        views_pages.entry_json,
        name="entry-json",
    ),
    path(
        "wallet/credentials/<uuid:public_id>/remove/",
        views_pages.entry_remove,
        name="entry-remove",
    ),
    path(
        "wallet/credentials/<uuid:public_id>/collections/",
        views_pages.entry_collections,
        name="entry-collections",
    ),
    path("wallet/collections/", views_pages.collections_page, name="collections"),
    path(
        "wallet/collections/<uuid:public_id>/rename/",
        views_pages.collection_rename,
        name="collection-rename",
    ),
    path(
        "wallet/collections/<uuid:public_id>/delete/",
        views_pages.collection_delete,
        name="collection-delete",
    ),
    path("wallet/import/", views_pages.import_page, name="import"),
    path("wallet/export/", views_pages.export_archive, name="export"),
    path("wallet/account/delete/", views_pages.delete_account, name="delete-account"),
]
