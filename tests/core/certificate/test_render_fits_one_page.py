"""A certificate is always one A4 page: long titles, many outcomes and long names in Greek and
Polish are laid out smaller, then shortened with a note that says so; nothing is lost from
the glyphs (the shipped DejaVu fonts cover Greek and Polish)."""

from __future__ import annotations

import io
from dataclasses import replace

import pypdf

from microcred.certificate import render_pdf
from microcred.certificate.sample import sample_certificate

NAME = "Αικατερίνη Παπαδοπούλου-Grzegorzewska Świętosławska"
TITLE = (
    "Zaawansowane zarządzanie danymi badawczymi: planowanie, dokumentacja, udostępnianie "
    "i długoterminowe przechowywanie zbiorów danych w naukach przyrodniczych i społecznych"
)
OUTCOME = "Να γράφει σχέδιο διαχείρισης δεδομένων · żółć gęślą jaźń, and explain the choices"


def read(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join("".join(page.extract_text() for page in reader.pages).split())
    # A line broken after a hyphen comes out as "- " from the extraction.
    return len(reader.pages), text.replace("- ", "-")


def test_a_plain_certificate_is_one_page_with_everything() -> None:
    cert = sample_certificate()
    pages, text = read(render_pdf(cert))
    assert pages == 1
    for outcome in cert.outcomes:
        assert outcome in text
    assert cert.labels.shortened not in text


def test_long_non_latin_texts_still_fit_with_a_note() -> None:
    outcomes = tuple(f"{i}. {OUTCOME} {i}" for i in range(1, 31))
    cert = replace(sample_certificate(), learner_name=NAME, title=TITLE * 2, outcomes=outcomes)
    pages, text = read(render_pdf(cert))
    assert pages == 1
    assert NAME in text
    assert TITLE in text  # the start of the doubled title; the rest is shortened
    assert cert.labels.shortened in text
    assert "1. " + OUTCOME in text
    assert "30. " + OUTCOME not in text
    listed = sum(1 for i in range(1, 31) if f"{i}. {OUTCOME} {i}" in text)
    note = cert.labels.more_outcomes.format(count=30 - listed)
    assert 0 < listed < 30 and note in text


def test_a_few_outcomes_too_many_are_left_out_from_the_end() -> None:
    outcomes = tuple(f"{i}. {OUTCOME} {OUTCOME} {OUTCOME}" for i in range(1, 15))
    cert = replace(sample_certificate(), outcomes=outcomes)
    pages, text = read(render_pdf(cert))
    assert pages == 1
    assert "1. " + OUTCOME in text
