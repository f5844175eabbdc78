"""Fixtures for the certificate tests: a learner signed in, with a credential issued here
(by North Sea University, quality assured by NVAO) in their wallet."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from microcred_web.issuing import issue
from microcred_web.register.models import Agency, QAResult
from tests.web.issuing.conftest import IssuingWorld, _spec

SPEC_CHANGES: dict[str, Any] = {
    "title": {"en": "Data stewardship basics", "pl": "Podstawy zarządzania danymi"},
    "learning_outcomes": [
        {"text": {"en": "Write a data management plan"}},
        {"text": {"en": "Document a data set so that others can reuse it"}},
        {"text": {"en": "Choose a licence and a repository for research data"}},
    ],
}


@dataclass
class Learner:
    user: Any
    account: Any
    entry: Any
    credential: dict[str, Any]
    client: Any


def assure(provider: Any) -> QAResult:
    agency = Agency.objects.create(
        slug="nvao",
        name={"en": "Accreditation Organisation of the Netherlands and Flanders"},
        acronym="NVAO",
        countries=["NL", "BE"],
        eqar_registered_since=date(2008, 5, 1),
    )
    result = QAResult.objects.create(
        agency=agency,
        activity="institutional",
        decision="positive",
        valid_from=date(2020, 1, 1),
        valid_until=date(2031, 5, 31),
        covers_microcredentials=True,
    )
    result.providers.add(provider)
    return result


def make_learner(username: str) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from microcred_web.wallet.models import LearnerAccount

    user = get_user_model().objects.create(username=username)
    user.set_unusable_password()
    user.save()
    return user, LearnerAccount.objects.create(user=user)


def give(world: IssuingWorld, account: Any, learner: issue.Learner, spec: Any = None) -> Any:
    from microcred_web.wallet.models import WalletEntry

    outcome = issue.issue_credential(world.users["staff_a"], spec or world.spec_a, learner)
    entry = WalletEntry.objects.create(account=account, source="issued", issued=outcome.record)
    return entry, outcome.credential


@pytest.fixture
def learner(world: IssuingWorld, client: Any) -> Learner:
    assure(world.provider_a)
    spec = _spec(world.provider_a, "DS-201", **SPEC_CHANGES)
    user, account = make_learner("ada")
    entry, credential = give(
        world,
        account,
        issue.Learner(
            "ada@example.org",
            given_name="Ada",
            family_name="Lovelace",
            achieved_on=date(2026, 6, 20),
        ),
        spec,
    )
    client.force_login(user)
    return Learner(user, account, entry, credential, client)


def download(learner: Learner) -> bytes:
    from django.urls import reverse

    response = learner.client.get(
        reverse("wallet:entry-certificate", args=[learner.entry.public_id])
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return bytes(response.content)


def page_image(pdf: bytes, scale: float = 2.0) -> Any:
    """The first page as a PIL image, rendered by PDFium (not by the library that wrote it)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return document[0].render(scale=scale).to_pil()


def text_of(pdf: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join("".join(page.extract_text() for page in reader.pages).split())
