"""Dashboard forms: input shape only; the rules live in the issuing services."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from microcred.credentials.data_integrity import CRYPTOSUITES
from microcred.standard.learner_checks import MAX_GRADE_LENGTH
from microcred_web.issuing.issue import DEFAULT_CRYPTOSUITE, MAX_IDENTIFIER_LENGTH, MAX_NAME_LENGTH
from microcred_web.issuing.status import ACTIONS

ROTATE_CONFIRMATION = "rotate"
ACTION_LABELS = {"revoke": _("Revoke"), "suspend": _("Suspend"), "reinstate": _("Reinstate")}


class AccessibleForm(forms.Form):
    """Links each field to its hint and its errors through ``aria-describedby``."""

    hints: ClassVar[dict[str, str | Promise]] = {}

    def __init__(self, *args: Any, prefix_id: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefix_id = prefix_id
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", self.field_id(name))
        self._describe()

    def field_id(self, name: str) -> str:
        return f"{self.prefix_id}{name}"

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def _describe(self) -> None:
        for name, field in self.fields.items():
            described = []
            if name in self.hints:
                described.append(f"{self.field_id(name)}-hint")
            if self.is_bound and self._errors is not None and name in self._errors:
                described.append(f"{self.field_id(name)}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class IssueForm(AccessibleForm):
    specification = forms.ChoiceField(label=_("Specification"))
    identifier = forms.CharField(
        label=_("Learner identifier"), max_length=MAX_IDENTIFIER_LENGTH, strip=True
    )
    scheme = forms.ChoiceField(
        label=_("What the identifier is"),
        choices=[
            ("", _("Work it out (DID, e-mail address or other)")),
            ("email", _("E-mail address")),
            ("did", _("DID")),
            ("student-number", _("Student number")),
            ("national-id", _("National identity number")),
            ("other", _("Other identifier")),
        ],
        required=False,
    )
    name = forms.CharField(
        label=_("Learner name (optional)"), max_length=MAX_NAME_LENGTH, required=False, strip=True
    )
    given_name = forms.CharField(
        label=_("Given name (optional)"), max_length=MAX_NAME_LENGTH, required=False, strip=True
    )
    family_name = forms.CharField(
        label=_("Family name (optional)"), max_length=MAX_NAME_LENGTH, required=False, strip=True
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth (optional)"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
    )
    grade = forms.CharField(
        label=_("Grade achieved (optional)"),
        max_length=MAX_GRADE_LENGTH,
        required=False,
        strip=True,
    )
    achieved_on = forms.DateField(
        label=_("Date of achievement (optional)"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
    )
    cryptosuite = forms.ChoiceField(
        label=_("Cryptosuite"),
        choices=[(name, name) for name in sorted(CRYPTOSUITES)],
        initial=DEFAULT_CRYPTOSUITE,
    )
    hints: ClassVar[dict[str, str | Promise]] = {
        "identifier": _("E-mail address, DID, student number, ... Stored only as a keyed hash."),
        "name": _("Printed on the credential only when given."),
        "grade": _("Checked against the specification's grade scheme."),
        "achieved_on": _("YYYY-MM-DD; only when it is not today, the date of issuing."),
        "date_of_birth": _("YYYY-MM-DD; printed on the credential when given."),
    }

    def __init__(self, *args: Any, specifications: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, prefix_id="issue-", **kwargs)
        field = self.fields["specification"]
        field.choices = [  # type: ignore[attr-defined]
            (spec.public_id, f"{spec.title_en or spec.local_id} ({spec.public_id})")
            for spec in specifications
        ]


class StatusForm(AccessibleForm):
    action = forms.ChoiceField(
        label=_("Action"), choices=[(action, ACTION_LABELS[action]) for action in ACTIONS]
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, strip=True)

    def __init__(
        self, *args: Any, credential_id: str = "", actions: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, prefix_id=f"status-{credential_id}-", **kwargs)
        if actions is not None:
            # Only the changes that apply now (dashboard.issued.applicable_actions): a revoked
            # credential offers none, a suspended one "Reinstate", one issued without a
            # suspension entry no "Suspend".
            self.fields["action"].choices = [  # type: ignore[attr-defined]
                (action, ACTION_LABELS[action]) for action in actions
            ]


class RotateForm(AccessibleForm):
    confirm = forms.CharField(
        label=format_lazy(_("Type “{word}” to confirm"), word=ROTATE_CONFIRMATION), max_length=20
    )
    reason = forms.CharField(label=_("Reason (optional)"), max_length=2000, required=False)
    hints: ClassVar[dict[str, str | Promise]] = {
        "confirm": _("The active key is retired (kept for verification) and a new one made.")
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix_id="rotate-", **kwargs)

    def clean_confirm(self) -> str:
        value = str(self.cleaned_data["confirm"]).strip().lower()
        if value != ROTATE_CONFIRMATION:
            raise forms.ValidationError(
                _("Type “%(word)s” to rotate the key.") % {"word": ROTATE_CONFIRMATION}
            )
        return value
