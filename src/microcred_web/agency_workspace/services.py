"""What the agency workspace's pages do, over the register's own write services.

Nothing here validates a QA result or an agency a second time: a form is turned into the same
input the API takes (:class:`~microcred_web.register.records.QAResultIn`,
:class:`~microcred_web.register.records.AgencyIn`) and handed to
:func:`~microcred_web.register.records.save_qa_result` /
:func:`~microcred_web.register.records.save_agency`, whose findings (``path`` names the
element) are then shown next to the form field they name. The preview is the same write,
made inside a transaction that is rolled back: the findings and the standing "after this"
are exactly what saving would give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models, transaction

from microcred.register.standing import Standing
from microcred_web.register import permissions, records
from microcred_web.register.models import Agency, Membership, Provider, QAResult, Role
from microcred_web.register.services import provider_standing

#: Most providers a search in the picker returns.
SEARCH_LIMIT = 20
#: The form fields of a QA result, in the order the form shows them.
RESULT_FIELDS = (
    "local_id",
    "activity",
    "providers",
    "decision",
    "status",
    "valid_from",
    "valid_until",
    "report_url",
    "decision_url",
    "coverage",
    "covered_specifications",
)
COVERAGE = ("provider", "specifications", "none")


def agencies_for(user: Any) -> list[Agency]:
    """The agencies ``user`` acts for (an operator: every agency)."""
    if permissions.is_operator(user):
        return list(Agency.objects.order_by("acronym", "slug"))
    ids = Membership.objects.filter(user=user, role=Role.AGENCY).values_list("agency", flat=True)
    return list(Agency.objects.filter(pk__in=ids).order_by("acronym", "slug"))


def require_agency(user: Any, agency: Agency) -> None:
    """Every page of the workspace, read or write, is for the agency's staff (or an operator)."""
    permissions.require(permissions.can_edit_agency(user, agency), f"act for {agency.slug}")


def search_providers(user: Any, agency: Agency, text: str) -> list[Provider]:
    """Providers whose slug, public id or name contains ``text`` (names are language maps,
    searched as their JSON text), for the picker; any agency may review any provider."""
    require_agency(user, agency)
    text = text.replace("\x00", "").strip()[:100]
    if not text:
        return []
    query = (
        models.Q(slug__icontains=text)
        | models.Q(public_id__iexact=text)
        | models.Q(legal_name__icontains=text)
        | models.Q(display_name__icontains=text)
    )
    return list(Provider.objects.filter(query).order_by("slug")[:SEARCH_LIMIT])


# --- QA results -----------------------------------------------------------------------------


@dataclass
class ResultForm:
    """What the user typed (kept as typed) and the errors to show next to each field."""

    values: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


def blank_result_form() -> ResultForm:
    return ResultForm(
        {
            "local_id": "",
            "activity": "institutional",
            "providers": [],
            "decision": "positive",
            "status": QAResult.Status.OBLIGATORY,
            "valid_from": "",
            "valid_until": "",
            "report_url": "",
            "decision_url": "",
            "coverage": "provider",
            "covered_specifications": [],
        }
    )


def result_form_from(result: QAResult) -> ResultForm:
    specs = sorted(s.public_id for s in result.covered_specifications.all())
    if result.covers_microcredentials:
        coverage = "provider"
    elif specs:
        coverage = "specifications"
    else:
        coverage = "none"
    return ResultForm(
        {
            "local_id": result.local_id,
            "activity": result.activity,
            "providers": sorted(p.slug for p in result.providers.all()),
            "decision": result.decision,
            "status": result.status,
            "valid_from": result.valid_from.isoformat(),
            "valid_until": result.valid_until.isoformat() if result.valid_until else "",
            "report_url": result.report_url,
            "decision_url": result.decision_url,
            "coverage": coverage,
            "covered_specifications": specs,
        }
    )


def result_form_from_post(post: Any) -> ResultForm:
    """The posted form, as typed (lists de-duplicated, order kept)."""
    values: dict[str, Any] = {}
    for name in RESULT_FIELDS:
        if name in ("providers", "covered_specifications"):
            values[name] = list(dict.fromkeys(v.strip() for v in post.getlist(name) if v.strip()))
        else:
            values[name] = str(post.get(name, "")).strip()
    added = [v.strip() for v in post.getlist("add_provider") if v.strip()]
    values["providers"] = list(dict.fromkeys([*values["providers"], *added]))
    return ResultForm(values)


def _result_input(agency: Agency, form: ResultForm) -> dict[str, Any]:
    """The register's input (as the API takes it) for the form; empty text is "not given"."""
    v = form.values

    def text(name: str) -> str | None:
        return v[name] or None

    coverage = v["coverage"]
    return {
        "agency": agency.public_id,
        "local_id": text("local_id"),
        "activity": text("activity"),
        "providers": v["providers"] or None,
        "decision": text("decision"),
        "status": text("status"),
        "valid_from": text("valid_from"),
        "valid_until": text("valid_until"),
        "report_url": v["report_url"],
        "decision_url": v["decision_url"],
        "covers_microcredentials": coverage == "provider",
        "covered_specifications": v["covered_specifications"]
        if coverage == "specifications"
        else [],
    }


def _errors(findings: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Findings by the form field they name (``providers.1`` is the providers field)."""
    out: dict[str, list[str]] = {}
    for item in findings:
        name = str(item.get("path") or "").split(".")[0] or "form"
        if name == "covers_microcredentials":
            name = "coverage"
        if name not in RESULT_FIELDS and name != "form":
            name = "form"
        out.setdefault(name, []).append(str(item.get("message", "invalid value")))
    return out


def _nul_findings(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The NUL character is refused in every text, as Django's own form fields do (the
    database cannot store it in a text column on PostgreSQL)."""
    out = []
    for name, value in values.items():
        texts = value if isinstance(value, list) else [value]
        if any("\x00" in str(text) for text in texts):
            out.append(records.finding("invalid-value", name, "must not contain the NUL character"))
    return out


def _form_findings(form: ResultForm) -> list[dict[str, Any]]:
    """What only the form can get wrong (the register never sees a coverage choice)."""
    out = _nul_findings(form.values)
    if form.values["coverage"] not in COVERAGE:
        out.append(records.finding("invalid-value", "coverage", "choose what the result covers"))
    if form.values["coverage"] == "specifications" and not form.values["covered_specifications"]:
        out.append(
            records.finding(
                "missing-element",
                "covered_specifications",
                "name at least one specification, or choose another coverage",
            )
        )
    return out


@dataclass(frozen=True)
class Effect:
    """One provider's QA standing before and after the write, on ``day``."""

    provider: Provider
    day: date
    before: Standing
    after: Standing

    @property
    def changes(self) -> bool:
        return (self.before.grade, self.before.reason) != (self.after.grade, self.after.reason)


@dataclass
class Attempt:
    """The outcome of saving (or previewing) a form."""

    form: ResultForm
    result: QAResult | None = None
    outcome: str = "rejected"
    effects: list[Effect] = field(default_factory=list)


class _Rollback(Exception):
    pass


def save_result(
    user: Any,
    agency: Agency,
    form: ResultForm,
    *,
    instance: QAResult | None = None,
    preview: bool = False,
) -> Attempt:
    """Record (or, with ``instance``, edit) a QA result of ``agency`` from the form.

    With ``preview`` the write is made and rolled back, and the attempt says how each
    provider's standing would change; nothing is stored, nothing is audited.
    """
    require_agency(user, agency)
    if instance is not None and instance.agency_id != agency.pk:
        raise permissions.PermissionDenied(f"{instance.public_id} is not a result of {agency.slug}")
    problems = _form_findings(form)
    if any(p["message"].endswith("NUL character") for p in problems):
        # Not even looked up: PostgreSQL refuses NUL in a query's text, too.
        form.errors = _errors(problems)
        return Attempt(form)
    if instance is None and form.values["local_id"]:
        taken = QAResult.objects.filter(agency=agency, local_id=form.values["local_id"]).first()
        if taken is not None:
            problems.append(
                records.finding(
                    "duplicate-value",
                    "local_id",
                    f"the agency already has a result with this reference ({taken.public_id}); "
                    "edit that one, or give this decision its own reference",
                )
            )
    data = _result_input(agency, form)
    attempt = Attempt(form)
    before_ids = set(instance.providers.values_list("pk", flat=True)) if instance else set()
    after: dict[int, Standing] = {}
    providers: list[Provider] = []
    day = date.today()
    try:
        with transaction.atomic():
            outcome = records.save_qa_result(user, data, instance=instance)
            findings = problems + list(outcome.findings)
            if findings or not outcome.ok:
                form.errors = _errors(findings)
                raise _Rollback
            result = outcome.record
            assert isinstance(result, QAResult)
            attempt.result, attempt.outcome = result, outcome.outcome
            if preview:
                # On the day the result takes effect, when that is later than today.
                day = max(day, result.valid_from)
                ids = before_ids | set(result.providers.values_list("pk", flat=True))
                providers = list(Provider.objects.filter(pk__in=ids).order_by("slug"))
                after = {p.pk: provider_standing(p, day) for p in providers}
                raise _Rollback
    except _Rollback:
        pass
    if preview and attempt.result is not None:
        # Rolled back: the register is as it was, so this is the standing before the write.
        attempt.effects = [
            Effect(p, day, provider_standing(p, day), after[p.pk]) for p in providers
        ]
    return attempt


# --- the agency's own record ----------------------------------------------------------------

AGENCY_FIELDS = (
    "name",
    "acronym",
    "countries",
    "website",
    "eqar_registered_since",
    "eqar_registered_until",
    "activities",
)
#: Rows of the name's language table beyond those filled in: one blank row to add a language.
BLANK_NAME_ROWS = 1


@dataclass
class AgencyForm:
    """The agency record as typed: ``names`` is a list of (language, text) rows."""

    names: list[tuple[str, str]]
    values: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name_rows(self) -> list[tuple[int, str, str]]:
        rows = [*self.names, *([("", "")] * BLANK_NAME_ROWS)]
        return [(i, lang, text) for i, (lang, text) in enumerate(rows)]


def agency_form_from(agency: Agency) -> AgencyForm:
    return AgencyForm(
        names=sorted(agency.name.items()),
        values={
            "acronym": agency.acronym,
            "countries": list(agency.countries),
            "website": agency.website,
            "eqar_registered_since": (
                agency.eqar_registered_since.isoformat() if agency.eqar_registered_since else ""
            ),
            "eqar_registered_until": (
                agency.eqar_registered_until.isoformat() if agency.eqar_registered_until else ""
            ),
            "activities": list(agency.activities),
        },
    )


def agency_form_from_post(post: Any) -> AgencyForm:
    names = []
    for i in range(int(_number(post.get("name_rows"), 0, 50))):
        lang = str(post.get(f"name_lang_{i}", "")).strip()
        text = str(post.get(f"name_text_{i}", "")).strip()
        if lang or text:
            names.append((lang, text))
    values: dict[str, Any] = {
        name: str(post.get(name, "")).strip()
        for name in ("acronym", "website", "eqar_registered_since", "eqar_registered_until")
    }
    values["countries"] = list(dict.fromkeys(c.strip() for c in post.getlist("countries") if c))
    values["activities"] = list(dict.fromkeys(a for a in post.getlist("activities") if a))
    return AgencyForm(names, values)


def _number(value: Any, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(str(value))))
    except ValueError:
        return low


def save_agency_record(user: Any, agency: Agency, form: AgencyForm) -> records.RecordOutcome:
    """Update the agency's record through :func:`records.save_agency` (same checks as the API)."""
    require_agency(user, agency)
    problems = _nul_findings({**form.values, "name": [t for pair in form.names for t in pair]})
    name: dict[str, str] = {}
    for i, (lang, text) in enumerate(form.names):
        if not lang:
            problems.append(
                records.finding("missing-element", "name", f"row {i + 1}: give the language")
            )
        elif lang in name:
            problems.append(records.finding("duplicate-value", "name", f"{lang} is given twice"))
        else:
            name[lang] = text
    v = form.values
    data = {
        "name": name or None,
        "acronym": v["acronym"] or None,
        "countries": v["countries"],
        "website": v["website"],
        "eqar_registered_since": v["eqar_registered_since"] or None,
        "eqar_registered_until": v["eqar_registered_until"] or None,
        "activities": v["activities"],
    }
    if problems:
        form.errors = _agency_errors(problems)
        return records.RecordOutcome(agency, "rejected", problems)
    outcome = records.save_agency(user, data, instance=agency)
    if not outcome.ok:
        form.errors = _agency_errors(outcome.findings)
    return outcome


def _agency_errors(findings: list[dict[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in findings:
        name = str(item.get("path") or "").split(".")[0]
        if name not in AGENCY_FIELDS:
            name = "form"
        out.setdefault(name, []).append(str(item.get("message", "invalid value")))
    return out
