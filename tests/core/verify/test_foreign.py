"""Foreign did:web issuers over HTTPS: the DID document and status list from a local server.

The core resolvers of :mod:`microcred.verify.foreign` with the guarded client of
:mod:`microcred.net`, against a test HTTPS server (``tests/https_servers.py``).
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from microcred.credentials.did_web import did_for
from microcred.net.https import FetchConfig
from microcred.verify import Outcome, VerificationContext, verify_credential
from microcred.verify.foreign import DidWebResolver, RemoteDocuments, RemoteStatusLists
from tests.core.net.conftest import NAME
from tests.core.verify.conftest import DID_PATH, LIST_PATH, NOW, Foreign
from tests.https_servers import Authority, json_answer, running, trickle


def online(config: FetchConfig) -> VerificationContext:
    documents = RemoteDocuments(config)
    return VerificationContext(
        did_resolver=DidWebResolver(documents),
        status_lists=RemoteStatusLists(documents),
        now=NOW,
    )


def test_a_foreign_credential_verifies_end_to_end(foreign: Foreign, config: FetchConfig) -> None:
    result = verify_credential(foreign.signed(8), online(config))
    assert result.verified, result.as_dict()
    assert result.check("issuer").details["issuer"] == foreign.issuer.did
    assert result.check("status").message == "not revoked"


def test_a_revoked_foreign_credential_is_revoked(foreign: Foreign, config: FetchConfig) -> None:
    result = verify_credential(foreign.signed(9), online(config))
    assert result.outcome is Outcome.NOT_VERIFIED
    assert result.check("status").reason == "revoked"


def test_the_did_document_must_be_about_the_did(foreign: Foreign, config: FetchConfig) -> None:
    assert foreign.issuer.document is not None
    impostor = dict(foreign.issuer.document, id="did:web:someone.else")
    foreign.server.routes[DID_PATH] = json_answer(impostor)
    result = verify_credential(foreign.signed(8), online(config))
    issuer = result.check("issuer")
    assert issuer.reason == "did-document-mismatch"
    assert "did:web:someone.else" in issuer.message
    assert result.outcome is Outcome.NOT_VERIFIED


def test_a_slow_issuer_server_could_not_be_checked(foreign: Foreign, config: FetchConfig) -> None:
    foreign.server.routes[DID_PATH] = trickle(every=0.1, total=20)
    result = verify_credential(foreign.signed(8), online(config))
    assert result.check("issuer").reason == "fetch-timeout"
    assert result.outcome is Outcome.COULD_NOT_CHECK


def test_an_unreachable_status_list_could_not_be_checked(
    foreign: Foreign, config: FetchConfig
) -> None:
    del foreign.server.routes[LIST_PATH]
    result = verify_credential(foreign.signed(9), online(config))
    status = result.check("status")
    assert status.reason == "status-list-unavailable"
    assert status.details["entries"][0]["cause"] == "fetch-http-status"
    assert "could not be checked" in status.message
    assert (result.verified, result.outcome) == (False, Outcome.COULD_NOT_CHECK)


def test_a_blocked_issuer_host_is_a_coded_issuer_error(
    foreign: Foreign, config: FetchConfig
) -> None:
    from microcred.net.addresses import AddressPolicy

    guarded = replace(config, policy=AddressPolicy())
    result = verify_credential(foreign.signed(8), online(guarded))
    assert result.check("issuer").reason == "fetch-address-blocked"
    assert result.outcome is Outcome.NOT_VERIFIED
    assert foreign.server.hits == []


def test_documents_are_cached_until_they_expire(foreign: Foreign, config: FetchConfig) -> None:
    documents = RemoteDocuments(config)
    resolver = DidWebResolver(documents)
    for _ in range(3):
        assert resolver.resolve(foreign.issuer.did)["id"] == foreign.issuer.did
    assert foreign.server.hits == [DID_PATH]
    documents.clear()
    foreign.serve(Cache_Control="max-age=0")  # the server forbids caching
    resolver.resolve(foreign.issuer.did)
    resolver.resolve(foreign.issuer.did)
    assert foreign.server.hits == [DID_PATH] * 3


def test_failures_are_cached_briefly(foreign: Foreign, config: FetchConfig) -> None:
    foreign.server.routes[DID_PATH] = lambda request: request.send_error(503)
    resolver = DidWebResolver(RemoteDocuments(replace(config, negative_ttl=60)))
    for _ in range(2):
        with pytest.raises(Exception, match="answered 503"):
            resolver.resolve(foreign.issuer.did)
    assert foreign.server.hits == [DID_PATH]  # the second failure came from the cache
    fresh = DidWebResolver(RemoteDocuments(replace(config, negative_ttl=0)))
    foreign.serve()
    assert fresh.resolve(foreign.issuer.did)["id"] == foreign.issuer.did


def test_the_well_known_path_without_a_did_path(authority: Authority, config: FetchConfig) -> None:
    with running(authority.server_context(NAME)) as server:
        did = did_for(f"{NAME}:{server.port}")
        server.routes["/.well-known/did.json"] = json_answer({"id": did})
        assert DidWebResolver(RemoteDocuments(config)).resolve(did) == {"id": did}


def test_a_budget_bounds_the_network_time_of_one_verification(
    foreign: Foreign, config: FetchConfig
) -> None:
    from microcred.net import FetchError
    from microcred.verify.foreign import FetchBudget

    for n in range(3):
        foreign.server.routes[f"/slow/{n}"] = trickle(every=0.1, total=20)
    budget = FetchBudget(RemoteDocuments(config), seconds=0.8)
    started = time.monotonic()
    codes = []
    for n in range(3):
        with pytest.raises(FetchError) as caught:
            budget.get(f"https://{NAME}:{foreign.server.port}/slow/{n}", "application/json")
        codes.append(caught.value.code)
    assert codes == ["fetch-timeout"] * 3
    assert time.monotonic() - started < 0.8 + 1.5  # not three deadlines (1.5 s each)
    assert foreign.server.hits == ["/slow/0"]  # the rest were not even tried
