"""``seed_demo`` exists (``make run`` calls it) and is a no-op until there is demo data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_seed_demo_runs_and_says_there_is_nothing_yet() -> None:
    out = StringIO()

    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)  # idempotent

    assert out.getvalue().count("no demo data yet") == 2
