"""Team forms: input shape only; the rules are in the team services."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from microcred_web.dashboard.forms import AccessibleForm
from microcred_web.register.models import ProviderLevel

LEVEL_LABELS = {
    ProviderLevel.EDITOR: _("Editor: writes specifications"),
    ProviderLevel.ISSUER: _("Issuer: issues credentials and changes their status"),
    ProviderLevel.ADMIN: _("Admin: both, and the team"),
}
LEVEL_CHOICES = [(level.value, LEVEL_LABELS[level]) for level in ProviderLevel]


class InviteForm(AccessibleForm):
    email = forms.EmailField(label=_("Colleague’s e-mail address"), max_length=254)
    level = forms.ChoiceField(label=_("Role"), choices=LEVEL_CHOICES, initial="issuer")
    hints: ClassVar[dict[str, str | Promise]] = {
        "email": _("They get a link that works once and expires; only its digest is kept."),
    }

    def __init__(self, *args: Any, with_levels: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, prefix_id="invite-", **kwargs)
        if not with_levels:
            del self.fields["level"]


class LevelForm(AccessibleForm):
    level = forms.ChoiceField(label=_("Role"), choices=LEVEL_CHOICES)

    def __init__(self, *args: Any, member_id: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, prefix_id=f"member-{member_id}-", **kwargs)


class NewAccountForm(AccessibleForm):
    username = forms.CharField(
        label=_("User name"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, max_length=4096, widget=forms.PasswordInput
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, max_length=4096, widget=forms.PasswordInput
    )
    hints: ClassVar[dict[str, str | Promise]] = {
        "username": _("Letters, digits and @ . + - _ only; you sign in with it."),
        "password1": _("At least 8 characters, not a common password, not only digits."),
    }

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, prefix_id="account-", **kwargs)
        self.email = email
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            from django.contrib.auth import get_user_model

            probe = get_user_model()(username=data.get("username", ""), email=self.email)
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TokenForm(AccessibleForm):
    name = forms.CharField(label=_("Token name"), max_length=120, strip=True)
    hints: ClassVar[dict[str, str | Promise]] = {
        "name": _("What the token is for, e.g. “student records system”. Shown in the list."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix_id="token-", **kwargs)
