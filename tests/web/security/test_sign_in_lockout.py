"""Repeated failed sign-ins lock the user name: the issue's 30 wrong passwords, then the right one.

After ``sign-in-user`` failures (10 by default) every attempt for that user name is refused with
429, ``Retry-After`` and a message saying for how long, even with the right password, until the
window ends. Every failed or refused attempt is in the audit log, without password or address.
"""

from __future__ import annotations

from typing import Any

from microcred_web.issuing.models import AuditEvent

from .conftest import IssuingWorld, tighten

URL = "/accounts/login/"
PASSWORD = "correct horse battery staple"


def _sign_in(client: Any, password: str, username: str = "staff_a", **extra: Any) -> Any:
    return client.post(URL, {"username": username, "password": password}, **extra)


def _user(world: IssuingWorld) -> Any:
    user = world.users["staff_a"]
    user.set_password(PASSWORD)
    user.save()
    return user


def test_thirty_wrong_passwords_then_the_right_one_is_refused(
    world: IssuingWorld, client: Any, settings: Any
) -> None:
    _user(world)
    limit = int(settings.MICROCRED_RATE_LIMITS["sign-in-user"].split("/")[0])
    statuses = [_sign_in(client, f"wrong {n}").status_code for n in range(30)]

    assert statuses[:limit] == [200] * limit  # the page again, "Sign-in failed"
    assert statuses[limit:] == [429] * (30 - limit)

    right = _sign_in(client, PASSWORD)
    assert right.status_code == 429
    assert int(right["Retry-After"]) > 0
    html = right.content.decode()
    assert "Signing in is locked" in html
    assert "locked for" in html and "minutes" in html
    assert "the right password will not work before then" in html
    assert "_auth_user_id" not in client.session  # not signed in


def test_the_failure_that_locks_says_so(world: IssuingWorld, client: Any, settings: Any) -> None:
    _user(world)
    tighten(settings, sign_in_user="3/15m")
    first, second = _sign_in(client, "wrong"), _sign_in(client, "wrong")
    assert "Signing in is locked" not in first.content.decode() + second.content.decode()
    third = _sign_in(client, "wrong")
    assert third.status_code == 200
    assert "Signing in is locked" in third.content.decode()


def test_the_lockout_ends_with_its_window(
    world: IssuingWorld, client: Any, settings: Any, rate_window_clock: Any
) -> None:
    _user(world)
    tighten(settings, sign_in_user="2/15m")
    _sign_in(client, "wrong")
    _sign_in(client, "wrong")
    refused = _sign_in(client, PASSWORD)
    assert refused.status_code == 429

    rate_window_clock.advance(int(refused["Retry-After"]) - 2)
    assert _sign_in(client, PASSWORD).status_code == 429  # not yet
    rate_window_clock.advance(2)
    signed_in = _sign_in(client, PASSWORD)
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["staff_a"].pk)


def test_the_lockout_holds_however_the_user_name_is_typed(
    world: IssuingWorld, client: Any, settings: Any
) -> None:
    _user(world)
    tighten(settings, sign_in_user="2/15m")
    _sign_in(client, "wrong", username="STAFF_A")
    _sign_in(client, "wrong", username=" staff_a ")
    assert _sign_in(client, PASSWORD).status_code == 429


def test_other_accounts_are_not_locked(world: IssuingWorld, client: Any, settings: Any) -> None:
    _user(world)
    other = world.users["staff_b"]
    other.set_password(PASSWORD)
    other.save()
    tighten(settings, sign_in_user="2/15m")
    _sign_in(client, "wrong")
    _sign_in(client, "wrong")
    assert _sign_in(client, PASSWORD).status_code == 429
    assert _sign_in(client, PASSWORD, username="staff_b").status_code == 302


def test_failures_and_refusals_are_audited_without_password_or_address(
    world: IssuingWorld, client: Any, settings: Any
) -> None:
    _user(world)
    tighten(settings, sign_in_user="2/15m")
    address = "198.51.100.23"
    for password in ("first-secret-guess", "second-secret-guess", PASSWORD):
        _sign_in(client, password, REMOTE_ADDR=address)

    events = list(AuditEvent.objects.filter(action="sign-in-failed").order_by("pk"))
    assert [e.target for e in events] == ["staff_a"] * 3
    assert events[0].reason == "wrong user name or password"
    assert "account locked for" in events[1].reason
    assert events[2].reason == "refused: account locked after too many failed sign-ins"
    assert all(e.actor is None for e in events)
    stored = " ".join(f"{e.actor_name} {e.target} {e.reason}" for e in events)
    for secret in ("first-secret-guess", "second-secret-guess", PASSWORD, address, "198.51"):
        assert secret not in stored
