"""The offer to Learner Credential Wallet: a deep link and its QR code for a fresh exchange.

LCW opens ``https://lcw.app/request.html?issuer=...&auth_type=bearer&challenge=<transaction
id>&vc_request_url=<exchange URL>`` (its one-step "direct" link, the only form it supports;
``docs/wallet.md``). On a phone with LCW installed the link opens the wallet; elsewhere the QR
code is scanned from inside LCW. The QR code is inline SVG markup drawn with ``fill`` and
``stroke`` presentation attributes only: no ``style`` attribute or element and no script, so it
runs under the pages' CSP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import segno
from django.utils.safestring import SafeString, mark_safe

from microcred_web.issuing import identity
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.wallet.exchange import create_exchange
from microcred_web.wallet.models import LearnerAccount

LCW_REQUEST_URL = "https://lcw.app/request.html"


@dataclass(frozen=True)
class Offer:
    """What a page shows: the deep link, its QR code (SVG markup) and the exchange's URL."""

    deep_link: str
    qr_svg: SafeString
    exchange_url: str
    expires: datetime


def deep_link(transaction_id: str, exchange_url: str) -> str:
    """LCW's request link (every parameter URL-encoded, the exchange URL included)."""
    query = urlencode(
        {
            "issuer": identity.host(),
            "auth_type": "bearer",
            "challenge": transaction_id,
            "vc_request_url": exchange_url,
        }
    )
    return f"{LCW_REQUEST_URL}?{query}"


def qr_svg(text: str, title: str) -> SafeString:
    """``text`` as a QR code in SVG (error correction M, a four-module quiet zone)."""
    code = segno.make(text, error="m", micro=False)
    markup = code.svg_inline(
        scale=4,
        border=4,
        title=title,
        svgclass="qr-code",
        lineclass=None,
        dark="#000",
        light="#fff",
    )
    # segno escapes the title; the rest is numbers and path data.
    return mark_safe(markup.replace("<svg ", '<svg role="img" ', 1))


def offer_for(record: IssuedCredentialRecord, account: LearnerAccount | None = None) -> Offer:
    """A fresh single-use exchange of ``record`` and the link and QR code that start it."""
    new = create_exchange(record, account)
    link = deep_link(new.transaction_id, new.url)
    return Offer(
        link, qr_svg(link, "QR code for Learner Credential Wallet"), new.url, new.exchange.expires
    )
