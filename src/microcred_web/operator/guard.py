"""The one permission check of the operator's pages and services."""

from __future__ import annotations

from typing import Any

from microcred_web.register import permissions


def require_operator(user: Any, what: str) -> None:
    """Raise :class:`~microcred_web.register.permissions.PermissionDenied` unless ``user`` is
    the register operator: every service of this app calls it before it reads or writes."""
    permissions.require(permissions.is_operator(user), what)
