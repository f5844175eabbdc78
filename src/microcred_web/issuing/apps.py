from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class IssuingConfig(AppConfig):
    name = "microcred_web.issuing"
    label = "issuing"
    verbose_name = "Issuing"

    def ready(self) -> None:
        """Register the system checks; connect the audit log to web requests (its interface)
        and to sign-ins."""
        from django.contrib.auth import signals as auth_signals
        from django.core import signals

        from microcred_web.issuing import checks  # noqa: F401  (registers the system checks)

        signals.request_started.connect(_request_started, dispatch_uid="audit-interface")
        signals.request_finished.connect(_request_finished, dispatch_uid="audit-interface")
        auth_signals.user_logged_in.connect(_signed_in, dispatch_uid="audit-sign-in")
        auth_signals.user_logged_out.connect(_signed_out, dispatch_uid="audit-sign-out")


def _request_started(sender: Any, environ: Any = None, scope: Any = None, **kwargs: Any) -> None:
    from microcred_web.issuing.audit import set_request_interface

    path = (environ or {}).get("PATH_INFO") or (scope or {}).get("path") or ""
    set_request_interface(str(path))


def _request_finished(sender: Any, **kwargs: Any) -> None:
    from microcred_web.issuing.audit import clear_request_interface

    clear_request_interface()


def _signed_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    from microcred_web.issuing.audit import record_event

    if user is not None:
        record_event(user, "sign-in", user.get_username())


def _signed_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    from microcred_web.issuing.audit import record_event

    if user is not None:
        record_event(user, "sign-out", user.get_username())
