"""The operator's forms and the public registration form: input shape only.

The rules (the register's validation, permissions, what is written) are in the services; a
form shows their findings next to the field they name (:func:`add_findings`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from microcred.standard.vocab import vocabulary
from microcred_web.dashboard.forms import AccessibleForm
from microcred_web.issuing.audit import ACTIONS, INTERFACES
from microcred_web.register.models import ProviderKind, Role

#: A date picker where the browser has one; YYYY-MM-DD typed where it has not.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LANG_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def country_choices(blank: str = "") -> list[tuple[str, str]]:
    countries = sorted(vocabulary("countries"), key=lambda term: term.label)
    return [("", blank), *((term.code, f"{term.label} ({term.code})") for term in countries)]


def add_findings(form: forms.Form, findings: list[dict[str, Any]], fields: dict[str, str]) -> None:
    """Put the register's findings next to the form field each names (``fields``: the
    finding's first path element -> form field); the rest go to the form as a whole."""
    for item in findings:
        root = str(item.get("path", "")).split(".", 1)[0]
        name = fields.get(root, root if root in form.fields else None)
        form.add_error(name, str(item.get("message", "")))


class RegistrationForm(AccessibleForm):
    """The public form: what the register needs for a provider, and who to write to."""

    legal_name = forms.CharField(label=_("Legal name of the organisation"), max_length=300)
    name_language = forms.CharField(
        label=_("Language of that name"), max_length=12, initial="en", required=True
    )
    slug = forms.SlugField(
        label=_("Short name for its address"), max_length=80, allow_unicode=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", _("Choose…")), *ProviderKind.choices],
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices(_("Choose…")))
    city = forms.CharField(label=_("City (optional)"), max_length=120, required=False)
    website = forms.URLField(
        label=_("Website (optional)"), max_length=200, required=False, assume_scheme="https"
    )
    national_id = forms.CharField(
        label=_("National registration number (optional)"), max_length=64, required=False
    )
    erasmus_code = forms.CharField(
        label=_("Erasmus code (optional)"), max_length=32, required=False
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    contact_email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    message = forms.CharField(
        label=_("Anything the register operator should know (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    hints: ClassVar[dict[str, str | Promise]] = {
        "name_language": _("A language tag such as en, de, fr or nl."),
        "slug": _(
            "Lower-case letters, digits and hyphens, e.g. north-sea-university. It becomes "
            "part of your page's address and of your credentials' issuer identifier."
        ),
        "kind": _("Universities and every other kind of provider join the same way."),
        "contact_email": _(
            "Once approved, you are sent a link there to set the password of your account."
        ),
    }

    def clean_name_language(self) -> str:
        value = str(self.cleaned_data["name_language"]).strip()
        if not LANG_TAG.fullmatch(value):
            raise forms.ValidationError(_("Enter a language tag such as en or de."))
        return value.lower()

    def clean_slug(self) -> str:
        value = str(self.cleaned_data["slug"]).strip().lower()
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
            raise forms.ValidationError(
                _("Use lower-case letters and digits, with single hyphens between them.")
            )
        return value


class ApproveForm(AccessibleForm):
    slug = forms.SlugField(label=_("Short name of the new provider"), max_length=80)


class RejectForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason (sent to the contact)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)


class ProviderEditForm(AccessibleForm):
    """A provider's record as the operator edits it; the register service validates it."""

    slug = forms.SlugField(label=_("Short name"), max_length=80)
    legal_name = forms.CharField(label=_("Legal name (English)"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProviderKind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices())
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    national_id = forms.CharField(
        label=_("National registration number"), max_length=64, required=False
    )
    erasmus_code = forms.CharField(label=_("Erasmus code"), max_length=32, required=False)
    schac = forms.CharField(label=_("SCHAC home organisation"), max_length=120, required=False)
    deqar_id = forms.CharField(label=_("DEQAR id"), max_length=32, required=False)
    eidas_id = forms.CharField(label=_("VAT / eIDAS identifier"), max_length=64, required=False)


class AgencyEditForm(AccessibleForm):
    slug = forms.SlugField(label=_("Short name"), max_length=80)
    name = forms.CharField(label=_("Name (English)"), max_length=300)
    acronym = forms.CharField(label=_("Acronym"), max_length=32)
    countries = forms.CharField(label=_("Countries"), max_length=400, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    eqar_registered_since = forms.DateField(
        label=_("EQAR-registered since"), required=False, widget=DATE
    )
    eqar_registered_until = forms.DateField(
        label=_("EQAR-registered until"), required=False, widget=DATE
    )

    hints: ClassVar[dict[str, str | Promise]] = {
        "countries": _("ISO codes separated by spaces or commas, e.g. NL BE."),
        "eqar_registered_since": _("A date such as 2019-06-30."),
        "eqar_registered_until": _("A date such as 2029-06-30; empty if open."),
    }


class MembershipForm(AccessibleForm):
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose…")), *Role.choices])
    organisation = forms.CharField(
        label=_("Provider or agency (short name)"), max_length=80, required=False
    )

    hints: ClassVar[dict[str, str | Promise]] = {
        "organisation": _("Empty for the register operator's role.")
    }


class DeactivateForm(AccessibleForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class MergeForm(AccessibleForm):
    duplicate = forms.CharField(
        label=_("Duplicate provider to merge into this one (short name)"), max_length=80
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)
    confirm = forms.BooleanField(
        label=_("I understand the duplicate's record is removed and its page redirects here")
    )


class EmergencyForm(AccessibleForm):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("revoke", _("Revoke (final)")),
            ("suspend", _("Suspend")),
            ("reinstate", _("Reinstate (lift a suspension)")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason and reference (e.g. the court order)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm this is an emergency action the provider will be shown")
    )

    hints: ClassVar[dict[str, str | Promise]] = {
        "reason": _("The reference of the order or obligation; never the learner's name.")
    }


class AuditFilterForm(forms.Form):
    """The audit viewer's filters (GET); every field is optional."""

    RECORD_TYPES = (
        "provider",
        "agency",
        "qa-result",
        "specification",
        "credential",
        "token",
        "registration",
        "account",
    )

    actor = forms.CharField(label=_("Actor"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *((a, a) for a in ACTIONS)]
    )
    record_type = forms.ChoiceField(
        label=_("Record type"),
        required=False,
        choices=[("", _("Any")), *((t, t) for t in RECORD_TYPES)],
    )
    record = forms.CharField(label=_("Record"), max_length=200, required=False)
    interface = forms.ChoiceField(
        label=_("Interface"),
        required=False,
        choices=[("", _("Any")), *((i, i) for i in INTERFACES)],
    )
    since = forms.DateField(label=_("From (date)"), required=False, widget=DATE)
    until = forms.DateField(label=_("Until (date)"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        from microcred_web.operator.auditlog import date_range_problem

        data = super().clean()
        problem = date_range_problem(data.get("since"), data.get("until"))
        if problem:
            self.add_error("until", problem)
        return data
