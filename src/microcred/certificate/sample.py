"""A sample certificate: for the bench (PDFs per second) and for looking at the layout."""

from __future__ import annotations

import json
import time

from microcred.certificate.model import Certificate
from microcred.certificate.render import render_pdf


def sample_certificate() -> Certificate:
    return Certificate(
        lang="en",
        title="Data stewardship basics",
        provider="North Sea University",
        issued_on="3 December 2026",
        achieved_on="20 November 2026",
        ects="5",
        eqf="7",
        learner_name="Ada Lovelace",
        outcomes=(
            "Write a data management plan for a research project",
            "Document a data set so that others can find and reuse it",
            "Choose a licence and a repository for research data",
        ),
        qa_statement=(
            "North Sea University was quality assured on 2026-12-03: Institutional review "
            "by NVAO, positive, valid until 2029-05-31"
        ),
        verify_url="https://issuer.example/s/sample-token/",
        credential_json=json.dumps({"type": ["VerifiableCredential"]}).encode(),
    )


def seconds_per_pdf(count: int = 5, cert: Certificate | None = None) -> float:
    """Mean seconds to render one certificate (after one warm-up render)."""
    cert = cert or sample_certificate()
    render_pdf(cert)
    start = time.perf_counter()
    for _ in range(count):
        render_pdf(cert)
    return (time.perf_counter() - start) / count
