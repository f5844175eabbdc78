"""A credential issued before its provider's negative re-review still verifies as quality
assured on its issue date: the negative decision supersedes the positive one only from the day
it takes effect (docs/decisions/0019-which-qa-result-stands.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from microcred.register.standing import Grade
from microcred_web.register import records
from microcred_web.register.services import provider_standing
from tests.web.issuing.conftest import IssuingWorld

# The issuing tests' settings (KEK, host), autouse in this module.
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401

from .test_instance import assure, issued, verify_api


def test_issued_before_the_negative_decision_stays_assured(
    world: IssuingWorld, client: Any
) -> None:
    positive = assure(world.provider_a, local_id="NVAO-2020-01", valid_until=date(2099, 1, 1))
    credential = issued(world).credential  # issued today
    tomorrow = date.today() + timedelta(days=1)
    outcome = records.save_qa_result(
        world.users["operator"],
        {
            "agency": "nvao",
            "local_id": "NVAO-FOLLOW-UP",
            "activity": "institutional",
            "providers": ["north-sea-university"],
            "decision": "negative",
            "valid_from": tomorrow.isoformat(),
        },
    )
    assert outcome.ok, outcome.findings
    assert provider_standing(world.provider_a, tomorrow).grade is Grade.NEGATIVE
    verified, checks = verify_api(client, credential)
    assert verified is True, checks
    assert checks["qa"]["status"] == "ok", checks["qa"]
    assert checks["qa"]["details"]["date"] == date.today().isoformat()

    # Had the decision taken effect on the issue date, the same credential would not be.
    record = outcome.record
    assert record is not None
    record.valid_from = date.today()
    record.save()
    assert positive.pk < record.pk
    verified, checks = verify_api(client, credential)
    assert checks["qa"]["status"] == "error" and verified is False
