"""``/accounts/``: password change works for signed-in staff; password reset is not offered."""

from __future__ import annotations

from typing import Any

from django.test import Client

from .conftest import IssuingWorld

OLD = "an old long password"
NEW = "a brand new long password"


def test_password_reset_is_not_offered(db: Any, client: Client) -> None:
    for path in ("/accounts/password_reset/", "/accounts/reset/done/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_password_change_needs_a_signed_in_user(db: Any, client: Client) -> None:
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/password_change/")


def test_signed_in_staff_change_their_password(world: IssuingWorld, client: Client) -> None:
    user = world.users["staff_a"]
    user.set_password(OLD)
    user.save()
    client.force_login(user)

    form = client.get("/accounts/password_change/")
    assert form.status_code == 200
    assert "<h1>Change your password</h1>" in form.content.decode()

    wrong = client.post(
        "/accounts/password_change/",
        {"old_password": "not it", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()

    done = client.post(
        "/accounts/password_change/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/accounts/password_change/done/"
    assert "Your password has been changed" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(OLD)


def test_the_dashboard_links_to_it(world: IssuingWorld, client: Client) -> None:
    client.force_login(world.users["staff_a"])
    assert 'href="/accounts/password_change/"' in client.get("/dashboard/").content.decode()
