"""Every operation of /api/v1/ keeps the contract its OpenAPI document states, for every role.

Schemathesis generates valid and invalid requests from the document (``/api/v1/openapi.json``,
health included) and runs all of its checks on each answer: no 5xx; status codes, content
types, headers and bodies as declared; valid requests accepted and invalid ones rejected;
unknown methods answered 405; authentication not ignored. Half the examples name records that
exist (the demo register), so the checks reach real records and not only 404s.

The number of examples is bounded (``MICROCRED_CONTRACT_EXAMPLES``, 8 per operation, mode
and role by default) and derandomised, so a run takes seconds and a failure reproduces.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.web.api_contract.conftest import ROLES, ContractWorld, headers_for

EXAMPLES = int(os.environ.get("MICROCRED_CONTRACT_EXAMPLES", "8"))

#: The record each path parameter names in the demo data, by operation path.
_PROVIDER_TEAM = {"member_id": "provider_member", "invitation_id": "provider_invitation"}
_AGENCY_TEAM = {"key": "agency", "member_id": "agency_member", "invitation_id": "agency_invitation"}
_KNOWN_BY_PATH = {
    "/api/v1/agencies/{key}": {"key": "agency"},
    "/api/v1/qa-results/{public_id}": {"public_id": "qa_result"},
    "/api/v1/agencies/{key}/team": _AGENCY_TEAM,
    "/api/v1/agencies/{key}/team/invitations": _AGENCY_TEAM,
    "/api/v1/agencies/{key}/team/invitations/{invitation_id}": _AGENCY_TEAM,
    "/api/v1/agencies/{key}/team/members/{member_id}": _AGENCY_TEAM,
    "/api/v1/providers/{key}/team/invitations/{invitation_id}": _PROVIDER_TEAM,
    "/api/v1/providers/{key}/team/members/{member_id}": _PROVIDER_TEAM,
    "/api/v1/qa-results/{public_id}/withdraw": {"public_id": "qa_result"},
}


def known_parameters(operation: Any, world: ContractWorld, role: str) -> dict[str, str]:
    names = [p.name for p in operation.path_parameters]
    aliases = _KNOWN_BY_PATH.get(operation.path, {})
    known = world.known | world.known_by_role.get(role, {})
    if any(aliases.get(name, name) not in known for name in names):
        return {}  # anonymous has no token of its own to name
    return {name: known[aliases.get(name, name)] for name in names}


def _strategies(operation: Any, world: ContractWorld, role: str) -> Any:
    from schemathesis import GenerationMode

    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    known = known_parameters(operation, world, role)
    if known:
        strategies += [
            operation.as_strategy(mode, path_parameters=known) for mode in GenerationMode
        ]
    return st.one_of(strategies)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_operation_keeps_its_contract(
    api_schema: Any, contract_world: ContractWorld, role: str
) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25, [op.label for op in operations]
    headers = contract_world.headers(role)
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            print_blob=False,
        )
        @given(case=_strategies(operation, contract_world, role))
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers_for(case, headers))

        try:
            run()
        except Exception as exc:  # one report for all operations, not only the first
            failures.append(f"{operation.label} as {role}:\n{exc}")
    assert not failures, "\n\n".join(failures)
