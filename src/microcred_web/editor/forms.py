"""Small forms of the editor's pages (the specification form itself is :mod:`.layout`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from microcred_web.editor.services import MAX_REASON


class _Form(forms.Form):
    """Ids on every widget, and aria-describedby on those with an error."""

    prefix_id = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"{self.prefix_id}{name}")

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"{widget.attrs['id']}-error"
                widget.attrs["aria-invalid"] = "true"


class DuplicateForm(_Form):
    prefix_id = "dup-"
    local_id = forms.CharField(label=_("Local identifier of the copy"), max_length=120, strip=True)


class WithdrawForm(_Form):
    prefix_id = "wd-"
    reason = forms.CharField(
        label=_("Reason (shown on the public page)"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, withdraw it from the catalogue"),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


class ImportForm(_Form):
    prefix_id = "imp-"
    file = forms.FileField(
        label=_("File (CSV, JSON or ELM JSON-LD)"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
        },
    )
    publish = forms.BooleanField(
        label=_("Publish the rows without errors (otherwise they are saved as drafts)"),
        required=False,
    )


class DiffForm(_Form):
    prefix_id = "diff-"
    before = forms.IntegerField(label=_("From version"), min_value=1, max_value=10**9)
    after = forms.IntegerField(label=_("To version"), min_value=1, max_value=10**9)
