"""Every element is in the certificate's text, as a PDF reader extracts it (pypdf): the
learner's name, title, provider, dates, ECTS, EQF, each learning outcome, the QA statement."""

# ruff: noqa: F811 (pytest fixtures imported by name)
from __future__ import annotations

from datetime import date

import pytest
from django.utils import formats, translation

from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.issuing.conftest import world  # noqa: F401
from tests.web.wallet.fixtures_pdf import Learner, download, learner, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_element_is_in_the_text(learner: Learner) -> None:
    text = text_of(download(learner))
    issued = date.fromisoformat(learner.credential["validFrom"][:10])
    for expected in (
        "Ada Lovelace",
        "Data stewardship basics",
        "North Sea University",
        formats.date_format(issued, "DATE_FORMAT"),  # "Dec. 3, 2026" in English
        "June 20, 2026",  # date of achievement
        # The facts table: its headers, then its values (ECTS 5, EQF 7).
        f"ECTS CREDITS EQF LEVEL {formats.date_format(issued, 'DATE_FORMAT')} June 20, 2026 5 7",
        "Write a data management plan",
        "Document a data set so that others can reuse it",
        "Choose a licence and a repository for research data",
        "Institutional review by NVAO",
        "positive, valid until 2031-05-31",
        "North Sea University was quality assured on",
        "credential.json",
    ):
        assert expected in text, (expected, text[:2000])


def test_the_learners_language_is_used(learner: Learner) -> None:
    with translation.override("pl"):
        text = text_of(download(learner))
    assert "Podstawy zarządzania danymi" in text
