"""Wallet URLs (namespace ``wallet``). Names the others rely on: ``sign-in`` (the learner's
sign-in page), ``share`` (``s/<token>/``, the public share page), ``home`` (the wallet)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from microcred_web.wallet import views_exchange
from microcred_web.wallet import views_certificate

app_name = "wallet"

urlpatterns: list[URLPattern | URLResolver] = [
    # Learner Credential Wallet's exchange (the path shape its deep link names; docs/wallet.md)
    path(
        "exchange/<str:exchange_id>/<str:transaction_id>",
        views_exchange.exchange_view,
        name="exchange",
    ),
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
]
