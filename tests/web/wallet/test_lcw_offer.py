"""The offer to Learner Credential Wallet: the deep link LCW opens, and its QR code, which an
independent decoder (zxing-cpp) reads back from the page as Chromium draws it."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django.template.loader import render_to_string
from PIL import Image

from microcred_web.wallet import lcw
from microcred_web.wallet.models import CredentialExchange
from microcred_web.wallet.tokens import token_hash
from tests.web.issuing.conftest import HOST
from tests.web.wallet import fixtures_lcw
from tests.web.wallet.fixtures_lcw import post

issuing_settings = fixtures_lcw.issuing_settings
world = fixtures_lcw.world
record = fixtures_lcw.record

pytestmark = pytest.mark.django_db


def test_deep_link_names_the_exchange_as_lcw_expects(record: Any) -> None:
    offer = lcw.offer_for(record)
    parts = urlsplit(offer.deep_link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "lcw.app", "/request.html")
    query = {name: values[0] for name, values in parse_qs(parts.query, strict_parsing=True).items()}
    assert query.keys() == {"issuer", "auth_type", "challenge", "vc_request_url"}
    assert (query["issuer"], query["auth_type"]) == (HOST, "bearer")
    assert query["vc_request_url"] == offer.exchange_url
    # the exchange URL is encoded inside the link (its own "/" and ":" do not leak out)
    assert "vc_request_url=https%3A%2F%2F" in parts.query
    exchange = CredentialExchange.objects.get()
    assert offer.exchange_url == (
        f"https://{HOST}/api/v1/exchanges/{exchange.public_id}/{query['challenge']}"
    )
    # the transaction id is stored only as its digest
    assert exchange.transaction_hash == token_hash(query["challenge"])
    assert query["challenge"] not in str(CredentialExchange.objects.values().get())
    assert (exchange.issued_id, exchange.state, exchange.account) == (record.pk, "pending", None)


def test_each_offer_is_a_fresh_exchange(record: Any) -> None:
    first, second = lcw.offer_for(record), lcw.offer_for(record)
    assert first.exchange_url != second.exchange_url
    assert CredentialExchange.objects.count() == 2


def test_offer_link_starts_an_exchange_that_answers(record: Any, client: Any) -> None:
    offer = lcw.offer_for(record)
    response = post(client, offer.exchange_url, {})
    assert response.status_code == 200
    challenge = parse_qs(urlsplit(offer.deep_link).query)["challenge"][0]
    assert response.json()["verifiablePresentationRequest"]["challenge"] == challenge


def test_partial_has_link_and_qr_without_style_or_script(record: Any) -> None:
    offer = lcw.offer_for(record)
    html = render_to_string("wallet/_claim_other_wallets.html", {"offer": offer, "record": record})
    assert offer.deep_link.replace("&", "&amp;") in html
    assert "<svg" in html and "<title>QR code for Learner Credential Wallet</title>" in html
    assert not re.search(r"\sstyle\s*=|<style|<script|\son[a-z]+\s*=", html, re.IGNORECASE)


def test_qr_code_decodes_to_the_deep_link(record: Any, page: Any) -> None:
    offer = lcw.offer_for(record)
    page.set_content(f"<!DOCTYPE html><html><body>{offer.qr_svg}</body></html>")
    png = page.locator("svg").screenshot()
    image = Image.open(io.BytesIO(png)).convert("L")
    found = zxingcpp.read_barcodes(image)
    assert [code.text for code in found] == [offer.deep_link]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
