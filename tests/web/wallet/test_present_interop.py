"""A presentation made by the wallet flow verifies with Digital Bazaar's ``vc.verifyPresentation``
(the interop peer of tests/core/interop): the holder's eddsa-rdfc-2022 authentication proof
over the challenge and domain, and the provider's credential inside (its did:web document
handed to the peer, which never uses the network)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred_web.issuing.keys import did_document
from tests.core.interop.conftest import node_peer  # noqa: F401
from tests.core.interop.peer import NodePeer
from tests.web.wallet.fixtures_present import add_entry, issue_to, make_learner

pytestmark = pytest.mark.django_db


def test_wallet_presentation_verifies_with_digital_bazaar(
    world: Any,
    client: Any,
    node_peer: NodePeer,  # noqa: F811
) -> None:
    ada = make_learner("ada@example.org")
    entry = add_entry(ada, issue_to(world, "ada@example.org").record)
    client.force_login(ada.user)
    page = client.post(
        "/wallet/present/",
        {"challenge": "dbz-1", "domain": "hr.example", "entries": [entry.public_id]},
    )
    vp = json.loads(page.context["presentation"])
    issuer = did_document(world.provider_a)
    answer = node_peer.request(
        "verifyPresentation",
        presentation=vp,
        challenge="dbz-1",
        domain="hr.example",
        documents={issuer["id"]: issuer},
    )
    assert answer["verified"], answer.get("error")
    wrong = node_peer.request(
        "verifyPresentation",
        presentation=vp,
        challenge="other",
        domain="hr.example",
        documents={issuer["id"]: issuer},
    )
    assert not wrong["verified"]
