"""Binding at issue time: a credential issued to a verified address of a wallet names the
wallet's holder DID as ``credentialSubject.id``; before the account exists it names none."""

from __future__ import annotations

from typing import Any

import pytest

from microcred_web.issuing import bulk, issue
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.wallet import holder
from microcred_web.wallet.models import LearnerAccount
from tests.web.issuing.conftest import IssuingWorld, verify_with_instance
from tests.web.wallet.fixtures_present import issue_to, make_learner

pytestmark = pytest.mark.django_db


def test_before_the_account_no_subject_id_after_the_holder_did(
    world: IssuingWorld, client: Any
) -> None:
    before = issue_to(world, "ada@example.org", world.spec_b).credential
    assert "id" not in before["credentialSubject"]
    account = make_learner("ada@example.org")
    after = issue_to(world, "Ada@Example.org").credential  # the case the provider typed
    account = LearnerAccount.objects.get(pk=account.pk)
    assert account.holder_did.startswith("did:key:")
    assert after["credentialSubject"]["id"] == account.holder_did
    assert verify_with_instance(client, after).verified


def test_unverified_address_binds_nothing(world: IssuingWorld) -> None:
    account = make_learner("ada@example.org", verified=False)
    credential = issue_to(world, "ada@example.org").credential
    assert "id" not in credential["credentialSubject"]
    assert LearnerAccount.objects.get(pk=account.pk).holder_did == ""


def test_a_did_learner_is_its_own_subject(world: IssuingWorld) -> None:
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    credential = issue_to(world, did).credential
    assert credential["credentialSubject"]["id"] == did


def test_bulk_binds_with_one_query_per_batch(
    world: IssuingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = make_learner("ada@example.org")
    bob = make_learner("bob@example.org", username="bob")
    learners = [
        (1, issue.Learner("ada@example.org", "Ada")),
        (2, issue.Learner("carol@example.org", "Carol")),
        (3, issue.Learner("BOB@example.org", "Bob")),
    ]
    calls: list[int] = []
    real = holder.subject_ids

    def counting(key: Any, rows: Any) -> Any:
        calls.append(len(rows))
        return real(key, rows)

    monkeypatch.setattr(holder, "subject_ids", counting)
    report = bulk.issue_many(world.users["staff_a"], world.spec_a, learners, None)
    assert calls == [3]  # one lookup for the batch
    assert report.done == 3

    subjects = {
        record.learner_hash: record.credential["credentialSubject"].get("id")
        for record in IssuedCredentialRecord.objects.filter(specification=world.spec_a)
    }
    ada, bob = (LearnerAccount.objects.get(pk=a.pk) for a in (ada, bob))
    assert subjects[issue.learner_hash("ada@example.org")] == ada.holder_did
    assert subjects[issue.learner_hash("BOB@example.org")] == bob.holder_did
    assert subjects[issue.learner_hash("carol@example.org")] is None
