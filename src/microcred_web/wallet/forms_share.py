"""The form a learner makes a share link with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ShareForm(forms.Form):
    label = forms.CharField(
        label=_("Label (only you see it)"),
        max_length=120,
        required=False,
        help_text=_("For example the employer or the application you send the link to."),
    )
    expires = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The link works until the end of this day (UTC). Leave it empty for a link that "
            "never expires; you can revoke it at any time."
        ),
        error_messages={"invalid": _("Enter the expiry date as YYYY-MM-DD, or leave it empty.")},
    )
    indexable = forms.BooleanField(
        label=_("Let search engines index this page"),
        required=False,
        help_text=_("Off by default: search engines are asked not to list the page."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            form_field.widget.attrs.setdefault("aria-describedby", f"{name}-hint")
