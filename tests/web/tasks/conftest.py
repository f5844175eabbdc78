"""Background-job tests reuse the issuing fixtures (two providers with staff, an operator, a
user with no membership, a published specification of each) and add a CSV maker."""

from __future__ import annotations

from tests.web.issuing.conftest import (  # noqa: F401 (fixtures)
    HOST,
    IssuingWorld,
    issuing_settings,
    world,
)


def learners_csv(count: int, extra: str = "", start: int = 0) -> bytes:
    """A learners file of ``count`` rows (and ``extra`` lines at the end), as uploaded."""
    rows = [f"learner-{n}@example.org,Learner {n}" for n in range(start, start + count)]
    return ("identifier,name\n" + "\n".join(rows) + "\n" + extra).encode("utf-8")
