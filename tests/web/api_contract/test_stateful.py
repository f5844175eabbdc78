"""Sequences of calls that follow the OpenAPI links keep the contract, for every role.

The stateful phase starts from an operation that makes or lists records (a write's ``record``,
a list's first item, an issued credential) and follows the document's ``links`` to the
operations on that record: read it back, update it, add a specification to a provider,
publish or withdraw it, revoke the credential. So the checks also run on records the run
created itself, including "use after free" and "a created resource is available".
Bounded (``MICROCRED_CONTRACT_SCENARIOS`` scenarios of at most 6 steps) and derandomised.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings

from tests.web.api_contract.conftest import ROLES, ContractWorld, headers_for

SCENARIOS = int(os.environ.get("MICROCRED_CONTRACT_SCENARIOS", "15"))


def test_the_document_links_records_to_their_operations(api_schema: Any) -> None:
    """Without links there is no stateful phase: each write and list leads somewhere."""
    document = api_schema.raw_schema
    linked = {
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
        for response in operation.get("responses", {}).values()
        if response.get("links")
    }
    assert {
        "post_provider",
        "post_agency",
        "post_qa_result",
        "post_specification",
        "issue_credential",
        "list_providers",
        "get_provider_team",
        "post_provider_invitation",
        "post_agency_invitation",
    } <= linked


@pytest.mark.parametrize("role", list(ROLES))
def test_linked_calls_keep_the_contract(
    api_schema: Any, contract_world: ContractWorld, role: str
) -> None:
    headers = contract_world.headers(role)

    class Machine(api_schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # Each scenario starts from the same records: what one scenario deleted, merged
            # or used up (a short name, a rate-limit budget: the counters are in the database
            # too) is back for the next, so that the same choices lead to the same answers,
            # which Hypothesis needs to generate (and replay) scenarios consistently.
            self._savepoint = transaction.savepoint()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self._savepoint)
            super().teardown()

        def ours(self, case: Any) -> dict[str, str]:
            return headers_for(case, headers)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": self.ours(case)}

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            # Tell the checks which headers were ours: the auth checks then know the token is
            # a real one and probe without it, instead of taking it for a generated one.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=self.ours(case) or None,
                transport_kwargs=kwargs or None,
                recorder=getattr(self, "recorder", None),
            )

    Machine.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=6,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            print_blob=False,
        )
    )
