"""``manage.py audit`` lists the audit log, newest first, filtered."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from microcred_web.issuing.audit import record_event


@pytest.mark.django_db
def test_lists_newest_first_with_filters() -> None:
    record_event(None, "sign-in-failed", "alice", "wrong password")
    record_event(None, "sign-in-failed", "bob", interface="page")
    record_event(None, "sign-in", "carol", details={"n": 1})

    out = StringIO()
    call_command("audit", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[-1] for line in lines[:2]] == ["carol", "bob"]
    assert lines[2].endswith("alice (wrong password)")

    out = StringIO()
    call_command("audit", "--action", "sign-in-failed", "--interface", "page", "--json", stdout=out)
    (item,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (item["target"], item["interface"], item["actor"]) == ("bob", "page", "")
