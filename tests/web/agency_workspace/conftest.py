"""Agency workspace tests reuse the register world: providers North Sea University and
CodeCraft, agencies NVAO (``agency_x``) and AQAS (``agency_y``), one account per role."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.web.register.conftest import World, search_index_dir, world  # noqa: F401 (fixtures)

#: A positive institutional review of North Sea University by NVAO, valid until 2031-06-30.
POSITIVE_FORM: dict[str, Any] = {
    "local_id": "NVAO-2025-17",
    "activity": "institutional",
    "providers": ["north-sea-university"],
    "decision": "positive",
    "status": "obligatory",
    "valid_from": "2025-07-01",
    "valid_until": "2031-06-30",
    "report_url": "https://nvao.example/reports/17.pdf",
    "decision_url": "",
    "coverage": "provider",
    "action": "save",
}


def form(**changes: Any) -> dict[str, Any]:
    data = dict(POSITIVE_FORM)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def positive(world: World) -> Any:  # noqa: F811 (the fixture)
    """NVAO's positive institutional review of North Sea University, recorded."""
    from microcred_web.register import records

    outcome = records.save_qa_result(
        world.users["agency_x"],
        {
            "agency": "nvao",
            "local_id": "NVAO-2024-03",
            "activity": "institutional",
            "providers": ["north-sea-university"],
            "decision": "positive",
            "valid_from": date(2024, 1, 1).isoformat(),
            "valid_until": date(2030, 12, 31).isoformat(),
            "covers_microcredentials": True,
        },
    )
    assert outcome.ok, outcome.findings
    return outcome.record
