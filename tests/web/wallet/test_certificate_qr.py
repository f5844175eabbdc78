"""The certificate's QR code, decoded by an independent decoder (zxing-cpp) from the page as
PDFium draws it, is the address of a new live share link made for the PDF of that entry."""

# ruff: noqa: F811 (pytest fixtures imported by name)
from __future__ import annotations

import re
from typing import Any

import pytest
import zxingcpp

from microcred_web.issuing import identity
from microcred_web.wallet.sharing import find_share, share_url
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.issuing.conftest import world  # noqa: F401
from tests.web.wallet.fixtures_pdf import Learner, download, learner, page_image  # noqa: F401

pytestmark = pytest.mark.django_db


def qr_text(pdf: bytes) -> str:
    codes = [c for c in zxingcpp.read_barcodes(page_image(pdf)) if c.format == zxingcpp.QRCode]
    assert len(codes) == 1, codes
    return str(codes[0].text)


def token_of(url: str) -> str:
    pattern = re.escape(identity.base_url()) + r"/s/([A-Za-z0-9_-]+)/"
    match = re.fullmatch(pattern, url)
    assert match, url
    assert share_url(match.group(1)) == url
    return match.group(1)


def test_the_qr_code_opens_a_live_pdf_share_of_the_entry(learner: Learner) -> None:
    url = qr_text(download(learner))
    share = find_share(token_of(url))
    assert share is not None
    assert share.made_for == "pdf"
    assert share.entry_id == learner.entry.pk and share.account_id == learner.account.pk


def test_each_download_has_its_own_link(learner: Learner, client: Any) -> None:
    first, second = qr_text(download(learner)), qr_text(download(learner))
    assert first != second
    assert learner.entry.shares.filter(made_for="pdf").count() == 2
