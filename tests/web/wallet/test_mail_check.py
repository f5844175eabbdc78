"""A production instance without a mail server is told so at start-up (microcred.W020)."""

from __future__ import annotations

from typing import Any

from microcred_web.wallet.checks import mail_configured

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_no_mail_server_in_production_is_a_warning(settings: Any) -> None:
    settings.DEBUG = False
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = ""
    found = mail_configured()
    assert [m.id for m in found] == ["microcred.W020"]
    assert "MICROCRED_EMAIL_HOST" in found[0].msg and not found[0].is_serious()


def test_a_configured_mail_server_or_debug_passes(settings: Any) -> None:
    settings.DEBUG = False
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "smtp.example.org"
    assert mail_configured() == []
    settings.EMAIL_HOST = ""
    settings.DEBUG = True
    assert mail_configured() == []
