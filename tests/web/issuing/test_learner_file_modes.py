"""The learner files of bulk issuing hold names: 0600 in a 0700 folder, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred_web.issuing import bulk
from microcred_web.issuing.issue import Learner

from .conftest import IssuingWorld


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Umask 000: anything not made private on purpose comes out world-readable."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.django_db(transaction=True)
def test_learner_files_are_private(world: IssuingWorld, tmp_path: Path, open_umask: None) -> None:
    out = tmp_path / "issued" / "run-1"
    learners = [(n + 2, Learner(f"learner-{n}@example.org", f"Learner {n}")) for n in range(3)]
    report = bulk.issue_many(world.users["staff_a"], world.spec_a, learners, out, total=3)
    assert report.issued == 3
    files = list(out.glob("*.json"))
    assert len(files) == 3
    assert mode(out) == 0o700
    assert {mode(f) for f in files} == {0o600}
