"""record_event: works without an account (failed sign-ins), keeps the original signature,
and stamps each row with the interface the write came through."""

from __future__ import annotations

from typing import Any

import pytest

from microcred_web.issuing import audit
from microcred_web.issuing.audit import record_event
from microcred_web.issuing.cli import ShellOperator
from microcred_web.issuing.models import AuditEvent


@pytest.mark.django_db
def test_a_failed_sign_in_is_recorded_without_an_account() -> None:
    record_event(None, "sign-in-failed", "alice", "wrong password")
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_name, event.action, event.target, event.reason) == (
        None,
        "",
        "sign-in-failed",
        "alice",
        "wrong password",
    )
    assert event.interface == "cli" and event.details == {}


@pytest.mark.django_db
def test_the_four_positional_parameters_still_work() -> None:
    record_event(ShellOperator(), "rotate-key", "p#k1", "yearly")
    event = AuditEvent.objects.get()
    assert (event.actor_name, event.target, event.reason) == ("shell", "p#k1", "yearly")


@pytest.mark.django_db
def test_interface_block_and_explicit_interface() -> None:
    with audit.interface("import"):
        record_event(None, "sign-in", "a")
        record_event(None, "sign-in", "b", interface="api")
    record_event(None, "sign-in", "c")
    rows = AuditEvent.objects.order_by("pk").values_list("target", "interface")
    assert list(rows) == [("a", "import"), ("b", "api"), ("c", "cli")]
    with pytest.raises(ValueError, match="unknown interface"), audit.interface("carrier-pigeon"):
        pass


def test_request_interface_follows_the_path() -> None:
    assert audit.request_interface("/api/v1/providers") == "api"
    assert audit.request_interface("/dashboard/north-sea-university/") == "page"


def test_the_middleware_resets_the_interface_even_when_the_view_fails() -> None:
    from django.test import RequestFactory

    seen: list[str] = []

    def view(request: Any) -> Any:
        seen.append(audit.current_interface())
        raise RuntimeError("boom")

    middleware = audit.AuditInterfaceMiddleware(view)
    with pytest.raises(RuntimeError):
        middleware(RequestFactory().post("/api/v1/providers"))
    assert seen == ["api"]
    assert audit.current_interface() == "cli"
