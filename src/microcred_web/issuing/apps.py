from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class IssuingConfig(AppConfig):
    name = "microcred_web.issuing"
    label = "issuing"
    verbose_name = "Issuing"

    def ready(self) -> None:
        """Register the system checks; connect the audit log to sign-ins (the interface of
        web requests is set by :class:`~microcred_web.issuing.audit.AuditInterfaceMiddleware`)."""
        from django.contrib.auth import signals as auth_signals
        from django.core import signals as request_signals

        from microcred_web.issuing import (
            checks,  # noqa: F401  (registers the system checks)
            identity,
        )

        auth_signals.user_logged_in.connect(_signed_in, dispatch_uid="audit-sign-in")
        auth_signals.user_logged_out.connect(_signed_out, dispatch_uid="audit-sign-out")
        request_signals.request_started.connect(
            identity.request_started, dispatch_uid="identity-per-request"
        )
        request_signals.request_finished.connect(
            identity.request_finished, dispatch_uid="identity-per-request"
        )


def _signed_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    from microcred_web.issuing.audit import record_event

    if user is not None:
        record_event(user, "sign-in", user.get_username())


def _signed_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    from microcred_web.issuing.audit import record_event

    if user is not None:
        record_event(user, "sign-out", user.get_username())
