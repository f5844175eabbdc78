"""Steps run inside an instance's own process (see :mod:`tests.web.issuing.instance`).

``seed``: one provider and one published specification (``{"spec": public id}``).
``report SPEC``: what was issued of SPEC, to check a run for duplicates and gaps.
``sign-lists``: sign every status list now (as serving it would), so that a shell without
the KEK can still read them.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import django


def seed() -> dict[str, Any]:
    from microcred_web.register.models import Provider
    from tests.web.issuing.conftest import _spec

    provider = Provider.objects.create(
        slug="north-sea-university",
        legal_name={"en": "North Sea University"},
        kind="university",
        country="NL",
    )
    return {"spec": _spec(provider, "DS-101").public_id}


def report(spec: str) -> dict[str, Any]:
    from microcred_web.issuing.models import (
        InstanceIdentity,
        IssuedCredentialRecord,
        StatusAllocation,
        StatusListRecord,
    )

    records = IssuedCredentialRecord.objects.filter(specification__public_id=spec)
    identity = InstanceIdentity.objects.first()
    return {
        "records": records.count(),
        "learners": records.values("learner_hash").distinct().count(),
        "revocations": records.values("revocation").distinct().count(),
        "allocations": StatusAllocation.objects.count(),
        "ids": sorted(str(pid) for pid in records.values_list("public_id", flat=True)),
        "identity": str(identity) if identity else None,
        "lists": sorted(StatusListRecord.objects.values_list("url", flat=True)),
    }


def sign_lists() -> dict[str, Any]:
    from microcred_web.issuing import status
    from microcred_web.issuing.models import StatusListRecord

    return {"signed": [status.signed_list(s)["id"] for s in StatusListRecord.objects.all()]}


def main(argv: list[str]) -> None:
    django.setup()
    steps = {"seed": seed, "report": report, "sign-lists": sign_lists}
    print(json.dumps(steps[argv[0]](*argv[1:])))


if __name__ == "__main__":
    main(sys.argv[1:])
