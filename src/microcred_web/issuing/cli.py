"""Who acts when a management command runs: a named user, or the shell operator."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


class ShellOperator:
    """Whoever can run management commands on the server has the operator's rights."""

    is_superuser = True
    #: Read by ``permissions.is_shell``: the shell may issue, an operator's account may not.
    is_shell = True
    is_authenticated = False
    pk = None

    def get_username(self) -> str:
        return "shell"


def acting_user(username: str | None) -> Any:
    if not username:
        return ShellOperator()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    return user
