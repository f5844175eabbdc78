"""Forms of the background-job pages: input shape only; the rules are in :mod:`.services`."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from microcred.credentials.data_integrity import CRYPTOSUITES
from microcred_web.dashboard.forms import AccessibleForm
from microcred_web.issuing.issue import DEFAULT_CRYPTOSUITE


class BulkIssueForm(AccessibleForm):
    specification = forms.ChoiceField(label=_("Specification"))
    file = forms.FileField(
        label=_("Learners (CSV file)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    cryptosuite = forms.ChoiceField(
        label=_("Cryptosuite"),
        choices=[(name, name) for name in sorted(CRYPTOSUITES)],
        initial=DEFAULT_CRYPTOSUITE,
    )
    hints: ClassVar[dict[str, str | Promise]] = {
        "file": _(
            "UTF-8 CSV with a header: identifier (or email), and optionally name, given_name, "
            "family_name, date_of_birth, grade, achieved_on, scheme. One learner per row; "
            "learners who already have the credential are skipped."
        ),
    }

    def __init__(self, *args: Any, specifications: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, prefix_id="bulk-", **kwargs)
        self.fields["specification"].choices = [  # type: ignore[attr-defined]
            (spec.public_id, f"{spec.title_en or spec.local_id} ({spec.public_id})")
            for spec in specifications
        ]


class PublishForm(AccessibleForm):
    provider = forms.ChoiceField(label=_("Provider"))

    def __init__(self, *args: Any, providers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, prefix_id="publish-", **kwargs)
        self.fields["provider"].choices = [  # type: ignore[attr-defined]
            (provider.slug, provider.name()) for provider in providers
        ]
