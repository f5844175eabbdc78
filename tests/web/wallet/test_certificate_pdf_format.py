"""The certificate is one A4 page, every font embedded, tagged for accessibility (marked,
a structure tree, the document language and title shown)."""

# ruff: noqa: F811 (pytest fixtures imported by name)
from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest

from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.issuing.conftest import world  # noqa: F401
from tests.web.wallet.fixtures_pdf import Learner, download, learner  # noqa: F401

pytestmark = pytest.mark.django_db


def fonts(page: Any) -> list[Any]:
    found = []
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        for descendant in font.get("/DescendantFonts", []):
            found.append(descendant.get_object())
        if "/DescendantFonts" not in font:
            found.append(font)
    return found


def test_one_a4_page_embedded_fonts_tagged(learner: Learner) -> None:
    reader = pypdf.PdfReader(io.BytesIO(download(learner)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) <= 1 and abs(float(box.height) - 842) <= 1
    found = fonts(reader.pages[0])
    assert found
    for font in found:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]) == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == "Data stewardship basics: certificate"
