"""Wallet URLs (namespace ``wallet``). Names the others rely on: ``sign-in`` (the learner's
sign-in page), ``share`` (``s/<token>/``, the public share page), ``home`` (the wallet),
``entry`` (one credential, ``wallet/credentials/<public_id>/``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from microcred_web.wallet import (
    views_certificate,
    views_exchange,
    views_pages,
    views_present,
    views_share,
    views_signin,
)

app_name = "wallet"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "wallet/credentials/<uuid:entry_id>/other-wallets/",
        views_exchange.entry_offer,
        name="entry-other-wallets",
    ),
    path(
        "wallet/credentials/<uuid:public_id>/certificate.pdf",
        views_certificate.entry_certificate,
        name="entry-certificate",
    ),
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
    path("s/<str:token>/schema.jsonld", views_share.share_schema, name="share-schema"),
    path("s/<str:token>/<uuid:entry>/", views_share.share_item, name="share-item"),
    path(
        "s/<str:token>/<uuid:entry>/schema.jsonld",
        views_share.share_item_schema,
        name="share-item-schema",
    ),
    path(
        "s/<str:token>/<uuid:entry>/credential.json",
        views_share.share_item_json,
        name="share-item-json",
    ),
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
    path("wallet/present/", views_present.present, name="present"),
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
