"""Forms of the wallet pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from microcred_web.wallet.collections import MAX_NAME

CONFIRM_WORD = "delete"


class CollectionNameForm(forms.Form):
    name = forms.CharField(label=_("Name of the collection"), max_length=MAX_NAME * 2)


class ImportForm(forms.Form):
    credential = forms.CharField(
        label=_("Paste the credential (JSON)"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocomplete": "off"}),
    )
    file = forms.FileField(label=_("Or upload the credential file (.json)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data.get("credential") and data.get("file") is not None:
            raise forms.ValidationError(_("Paste the credential or upload a file, not both."))
        if not data.get("credential") and data.get("file") is None:
            raise forms.ValidationError(_("Paste a credential or choose a file to upload."))
        return data


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(label=_("Type delete to confirm"), max_length=20)

    def clean_confirm(self) -> str:
        value: str = (self.cleaned_data.get("confirm") or "").strip().lower()
        if value != CONFIRM_WORD:
            raise forms.ValidationError(
                _("Type the word delete to confirm that your account is to be deleted.")
            )
        return value
