"""The status check: revoked, suspended, fine, list missing, list not to be trusted."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from microcred.credentials.did_web import KeyRecord, build_did_document
from microcred.credentials.status_list import status_entry
from microcred.net import FetchError
from microcred.verify import Outcome, Status, verify_credential
from microcred.verify.status_checks import check_credential_status
from tests.core.verify.conftest import (
    OLD_CREATED,
    Issuer,
    context_for,
    credential,
    did_key_issuer,
    did_web_issuer,
    seeded,
)

INDEX = 40_123


@pytest.fixture
def issuer() -> Issuer:
    issuer = did_web_issuer()
    issuer.publish_list("revocation", [7, 99_999])
    issuer.publish_list("suspension", [])
    return issuer


def signed_with(issuer: Issuer, *entries: tuple[str, int]) -> dict[str, Any]:
    status = [status_entry(issuer.status_url(p), i, p) for p, i in entries]  # type: ignore[arg-type]
    return issuer.sign(credential(issuer.did, credentialStatus=status))


def status_of(issuer: Issuer, document: dict[str, Any]) -> Any:
    result = verify_credential(document, context_for(issuer))
    return result, result.check("status")


def test_not_revoked(issuer: Issuer) -> None:
    result, check = status_of(issuer, signed_with(issuer, ("revocation", INDEX)))
    assert result.verified and check.status is Status.OK, result.as_dict()
    assert check.message == "not revoked"


def test_revoked(issuer: Issuer) -> None:
    result, check = status_of(issuer, signed_with(issuer, ("revocation", 99_999)))
    assert not result.verified
    assert check.status is Status.ERROR and check.reason == "revoked"
    assert "revoked" in check.message


def test_suspended(issuer: Issuer) -> None:
    issuer.publish_list("suspension", [INDEX])
    document = signed_with(issuer, ("revocation", INDEX), ("suspension", INDEX))
    result, check = status_of(issuer, document)
    assert not result.verified
    assert check.reason == "suspended"
    assert [e["status"] for e in check.details["entries"]] == ["ok", "error"]


def test_reinstated_after_suspension(issuer: Issuer) -> None:
    document = signed_with(issuer, ("suspension", INDEX))
    issuer.publish_list("suspension", [INDEX])
    assert status_of(issuer, document)[1].reason == "suspended"
    issuer.publish_list("suspension", [])
    assert status_of(issuer, document)[1].status is Status.OK


def test_single_entry_object_form(issuer: Issuer) -> None:
    entry = status_entry(issuer.status_url("revocation"), 7, "revocation")
    document = issuer.sign(credential(issuer.did, credentialStatus=entry))
    assert status_of(issuer, document)[1].reason == "revoked"


@pytest.mark.parametrize("index", [INDEX, 99_999])  # not revoked, and revoked
def test_a_missing_list_is_not_verified_but_could_not_check(issuer: Issuer, index: int) -> None:
    document = signed_with(issuer, ("revocation", index))
    issuer.lists.clear()
    result, check = status_of(issuer, document)
    assert not result.verified  # never "verified" for what could not be checked...
    assert result.outcome is Outcome.COULD_NOT_CHECK  # ...but not "revoked" either
    assert check.status is Status.ERROR and check.unchecked
    assert check.reason == "status-list-unavailable"
    assert "could not be checked" in check.message
    assert result.as_dict()["outcome"] == "could-not-check"


def test_a_fetcher_that_fails_names_the_cause(issuer: Issuer) -> None:
    class Failing:
        def fetch(self, url: str) -> None:
            raise FetchError("fetch-timeout", "example.org did not answer in time")

    ctx = replace(context_for(issuer), status_lists=Failing())
    result = verify_credential(signed_with(issuer, ("revocation", 99_999)), ctx)
    check = result.check("status")
    assert (check.reason, check.details["entries"][0]["cause"]) == (
        "status-list-unavailable",
        "fetch-timeout",
    )
    assert "did not answer in time" in check.message
    assert result.outcome is Outcome.COULD_NOT_CHECK


def test_revoked_outranks_could_not_check(issuer: Issuer) -> None:
    document = signed_with(issuer, ("revocation", 99_999), ("suspension", INDEX))
    del issuer.lists[issuer.status_url("suspension")]
    result, check = status_of(issuer, document)
    assert check.reason == "revoked"
    assert [e["reason"] for e in check.details["entries"]] == [
        "revoked",
        "status-list-unavailable",
    ]
    assert result.outcome is Outcome.NOT_VERIFIED


def test_list_with_a_bad_signature(issuer: Issuer) -> None:
    document = signed_with(issuer, ("revocation", 99_999))
    url = issuer.status_url("revocation")
    forged = copy.deepcopy(issuer.lists[url])
    clean = issuer.publish_list("revocation", [])  # a list where nothing is revoked...
    forged["credentialSubject"]["encodedList"] = clean["credentialSubject"]["encodedList"]
    issuer.lists[url] = forged  # ...pasted into the signed list that revoked it
    result, check = status_of(issuer, document)
    assert not result.verified
    assert check.reason == "status-list-unverified"
    assert check.details["entries"][0]["cause"] == "bad-signature"


def test_list_signed_by_someone_else(issuer: Issuer) -> None:
    """A list claiming to be the issuer's but signed with a stranger's key."""
    document = signed_with(issuer, ("revocation", INDEX))
    stranger = did_key_issuer(9)
    url = issuer.status_url("revocation")
    forged = copy.deepcopy(issuer.lists[url])
    del forged["proof"]
    issuer.lists[url] = stranger.sign(forged)
    assert status_of(issuer, document)[1].reason == "status-list-unverified"


def test_list_issued_by_another_issuer(issuer: Issuer) -> None:
    """A validly signed list, but of someone else, served at the issuer's URL."""
    document = signed_with(issuer, ("revocation", INDEX))
    stranger = did_key_issuer(9)
    stranger.status_url = issuer.status_url  # type: ignore[method-assign]
    issuer.lists[issuer.status_url("revocation")] = stranger.publish_list("revocation")
    assert status_of(issuer, document)[1].reason == "status-list-issuer-mismatch"


def test_list_signed_with_a_retired_key_after_retirement(issuer: Issuer) -> None:
    document = signed_with(issuer, ("revocation", INDEX))
    issuer.publish_list("revocation", [], old=True)  # created 2025-01-02, key-1 retired 01-01
    check = status_of(issuer, document)[1]
    assert check.reason == "status-list-unverified"
    assert check.details["entries"][0]["cause"] == "key-revoked"


def test_entry_points_to_the_wrong_list(issuer: Issuer) -> None:
    document = signed_with(issuer, ("revocation", INDEX))
    url = issuer.status_url("revocation")
    issuer.lists[url] = issuer.lists[issuer.status_url("suspension")]
    assert status_of(issuer, document)[1].reason == "status-list-mismatch"


def test_index_out_of_range(issuer: Issuer) -> None:
    document = signed_with(issuer, ("revocation", 10_000_000))
    assert status_of(issuer, document)[1].reason == "status-index-out-of-range"


def test_unknown_status_purpose_is_a_warning(issuer: Issuer) -> None:
    entry = status_entry(issuer.status_url("revocation"), INDEX, "revocation")
    entry["statusPurpose"] = "message"
    document = issuer.sign(credential(issuer.did, credentialStatus=[entry]))
    result, check = status_of(issuer, document)
    assert result.verified
    assert check.status is Status.WARNING and check.reason == "status-purpose-unsupported"


def test_unknown_status_type_could_not_be_checked(issuer: Issuer) -> None:
    document = credential(
        issuer.did, credentialStatus={"id": "urn:x#1", "type": "StatusList2021Entry"}
    )
    check = check_credential_status(document, context_for(issuer))
    assert check.status is Status.ERROR and check.reason == "unsupported-status-type"
    assert check.unchecked and "could not be checked" in check.message


@pytest.mark.parametrize("entry", ["revoked", {"type": "BitstringStatusListEntry"}])
def test_malformed_entries_are_errors(issuer: Issuer, entry: object) -> None:
    check = check_credential_status(
        credential(issuer.did, credentialStatus=[entry]), context_for(issuer)
    )
    assert check.status is Status.ERROR and check.reason == "status-entry-malformed"


def test_no_status_is_skipped(issuer: Issuer) -> None:
    result, check = status_of(issuer, issuer.sign(credential(issuer.did)))
    assert result.verified and check.status is Status.SKIPPED


def test_status_not_checked_when_the_proof_fails(issuer: Issuer) -> None:
    document = signed_with(issuer, ("revocation", INDEX))
    document["name"] = "changed"
    _, check = status_of(issuer, document)
    assert check.status is Status.SKIPPED
    assert "signature" in check.message


def test_list_of_a_did_web_issuer_with_history() -> None:
    """The status list verifies through the same DID document as the credential."""
    key = seeded(31)
    did = "did:web:example.org"
    issuer = Issuer(
        did,
        key,
        f"{did}#k",
        document=build_did_document(did, [KeyRecord("k", key.public.multibase, OLD_CREATED)]),
    )
    issuer.publish_list("revocation", [5])
    document = signed_with(issuer, ("revocation", 5))
    assert status_of(issuer, document)[1].reason == "revoked"
