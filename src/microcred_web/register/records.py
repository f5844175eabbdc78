"""Write services for providers, agencies and QA results (specifications: ``services``).

The API, bulk import and the command line all write through these functions, so the rules are
in one place: the input shape (pydantic models, also the documented import format), the
permission check, idempotency on natural keys (provider slug, agency slug, QA result
(agency, local id)), and telling the catalogue index what changed.

Each write returns a :class:`RecordOutcome` (``created`` / ``updated`` / ``unchanged`` /
``rejected``) with findings in the same shape as specification findings (``code``,
``severity``, ``path``, ``message``), so a submitter handles one kind of answer. A missing
right is not a finding but :class:`~microcred_web.register.permissions.PermissionDenied`: the
API turns it into 403, bulk import into a rejected row.

Only the fields present in the input are written (a field left out is left alone); lists such
as ``relations`` or ``providers`` are replaced as a whole when given. That makes a partial
update safe and a repeated import a no-op.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Annotated, Any, TypeVar

from django.db import models, transaction
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from microcred.standard.vocab import vocabulary
from microcred_web.issuing.audit import record_event
from microcred_web.register import permissions
from microcred_web.register.models import (
    Agency,
    Decision,
    EsgActivity,
    Provider,
    ProviderKind,
    ProviderRelation,
    QAResult,
    Specification,
)

logger = logging.getLogger("microcred_web.register")

Finding = dict[str, Any]
M = TypeVar("M", bound=BaseModel)
_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: Python's whitespace (``str.isspace``, what ``strip`` removes), spelled out: ``\s`` means
#: less in the regular expressions of JSON Schema validators, and the two must agree.
_SPACE = (
    "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
_URL_BODY = "[^\\x00-\\x20\\x7f/$.?#][^\\x00-\\x20\\x7f]*"
_URL = re.compile(f"^https?://{_URL_BODY}$", re.IGNORECASE)
_LANG_TAG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
#: Some text that is not only whitespace (and, as every string, no NUL).
_TEXT = f"^[^\\x00]*[^\\x00{_SPACE}][^\\x00]*$"

# What the validators below check, stated in the OpenAPI document too, so that a request the
# document calls valid is not refused by the request model (the contract tests hold them to it).
_URL_SCHEMA = {
    "type": "string",
    "pattern": f"^([Hh][Tt][Tt][Pp][Ss]?://{_URL_BODY})?$",
}


def _langmap_schema(min_properties: int = 0) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "type": "object",
            "patternProperties": {_LANG_TAG: {"type": "string", "pattern": _TEXT}},
            "additionalProperties": False,
            "minProperties": min_properties,
        }
    )


def _country_schema() -> WithJsonSchema:
    return WithJsonSchema(
        {"type": "string", "enum": sorted(t.code for t in vocabulary("countries"))}
    )


LangMap = Annotated[dict[str, str], _langmap_schema()]
RequiredLangMap = Annotated[dict[str, str], _langmap_schema(1)]
Country = Annotated[str, _country_schema()]
Url = Annotated[
    str, StringConstraints(max_length=200), WithJsonSchema(_URL_SCHEMA | {"maxLength": 200})
]


# --- input shapes ---------------------------------------------------------------------------


class _Input(BaseModel):
    """Unknown keys are refused so that a typo is reported rather than silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_url(value: str) -> str:
    if value and not _URL.match(value):
        raise ValueError("must be an absolute http(s) URL")
    return value


def _check_langmap(value: dict[str, str]) -> dict[str, str]:
    for tag, text in value.items():
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", tag):
            raise ValueError(f"{tag!r} is not a language tag")
        if not text.strip():
            raise ValueError(f"the {tag!r} text is empty")
    return value


def _check_country(value: str) -> str:
    if value.upper() not in vocabulary("countries"):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value.upper()


class RelationIn(_Input):
    kind: ProviderRelation.Kind
    target: str = Field(description="Slug or public id of the related provider.")
    label: str = Field("", max_length=200)


class ProviderIn(_Input):
    """A provider, as the API and bulk import accept it (see ``docs/import-export.md``)."""

    slug: str | None = Field(None, max_length=80, pattern=_SLUG, description="Natural key.")
    legal_name: RequiredLangMap | None = Field(None, min_length=1)
    display_name: LangMap | None = None
    kind: ProviderKind | None = None
    country: Country | None = None
    city: str | None = Field(None, max_length=120)
    website: Url | None = None
    national_id: str | None = Field(None, max_length=64)
    erasmus_code: str | None = Field(None, max_length=32)
    schac: str | None = Field(None, max_length=120)
    deqar_id: str | None = Field(None, max_length=32)
    eidas_id: str | None = Field(None, max_length=64)
    relations: list[RelationIn] | None = None

    _langmaps = field_validator("legal_name", "display_name")(
        lambda v: None if v is None else _check_langmap(v)
    )
    _country = field_validator("country")(lambda v: None if v is None else _check_country(v))
    _url = field_validator("website")(lambda v: None if v is None else _check_url(v))


class AgencyIn(_Input):
    slug: str | None = Field(None, max_length=80, pattern=_SLUG, description="Natural key.")
    name: RequiredLangMap | None = Field(None, min_length=1)
    acronym: str | None = Field(None, min_length=1, max_length=32)
    countries: list[Country] | None = None
    website: Url | None = None
    eqar_registered_since: date | None = None
    eqar_registered_until: date | None = None
    activities: list[EsgActivity] | None = None

    _langmaps = field_validator("name")(lambda v: None if v is None else _check_langmap(v))
    _countries = field_validator("countries")(
        lambda v: None if v is None else list(dict.fromkeys(_check_country(c) for c in v))
    )
    _url = field_validator("website")(lambda v: None if v is None else _check_url(v))


class QAResultIn(_Input):
    agency: str | None = Field(None, description="Slug or public id of the agency.")
    local_id: str | None = Field(
        None, min_length=1, max_length=64, description="The agency's own reference: natural key."
    )
    activity: EsgActivity | None = None
    providers: list[str] | None = Field(None, min_length=1, description="Slugs or public ids.")
    decision: Decision | None = None
    status: QAResult.Status | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    report_url: Url | None = None
    decision_url: Url | None = None
    covers_microcredentials: bool | None = None
    covered_specifications: list[str] | None = Field(
        None, description="Public ids of the specifications a programme review names."
    )

    _urls = field_validator("report_url", "decision_url")(
        lambda v: None if v is None else _check_url(v)
    )


# --- outcome --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordOutcome:
    record: models.Model | None
    outcome: str  # created | updated | unchanged | rejected
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome != "rejected"


def finding(code: str, path: str, message: str, severity: str = "error") -> Finding:
    return {"code": code, "severity": severity, "path": path, "message": message}


def findings_from_validation(exc: ValidationError, prefix: str = "") -> list[Finding]:
    """pydantic errors as findings that name the element, like the Annex I validation does."""
    out = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if not str(p).startswith("function-")]
        path = prefix + ".".join(loc)
        kind = error.get("type", "")
        code = {"missing": "missing-element", "extra_forbidden": "unknown-element"}.get(
            kind, "invalid-value"
        )
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        out.append(finding(code, path, message))
    return out


def parse_input(model: type[M], data: object) -> tuple[M | None, list[Finding]]:
    if not isinstance(data, dict):
        return None, [finding("invalid-value", "", "expected a JSON object")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, findings_from_validation(exc)


# --- look-ups -------------------------------------------------------------------------------


def find_provider(key: str) -> Provider | None:
    """By public id (``P-...``) or slug: the two ids a client may hold."""
    return Provider.objects.filter(models.Q(public_id=key) | models.Q(slug=key)).first()


def find_agency(key: str) -> Agency | None:
    return Agency.objects.filter(models.Q(public_id=key) | models.Q(slug=key)).first()


# --- providers ------------------------------------------------------------------------------


def save_provider(user: Any, data: object, *, instance: Provider | None = None) -> RecordOutcome:
    """Create a provider (operator only) or update one (operator, or its own staff).

    Without ``instance`` the provider is found by its slug, which makes import idempotent.
    """
    parsed, problems = parse_input(ProviderIn, data)
    if parsed is None:
        return RecordOutcome(None, "rejected", problems)
    values = _dump(parsed, exclude={"relations"})
    if instance is None and parsed.slug:
        instance = Provider.objects.filter(slug=parsed.slug).first()
    if instance is None:
        permissions.require(permissions.can_create_provider(user), "create providers")
        for name in ("slug", "legal_name", "kind", "country"):
            if values.get(name) is None:
                problems.append(finding("missing-element", name, f"{name} is required"))
    else:
        permissions.require(permissions.can_edit_provider(user, instance), f"edit {instance.slug}")
        if (
            parsed.slug
            and parsed.slug != instance.slug
            and Provider.objects.filter(slug=parsed.slug).exists()
        ):
            problems.append(finding("duplicate-value", "slug", f"{parsed.slug} is taken"))
        for name, value in values.items():
            if value is None and name in {"slug", "legal_name", "kind", "country"}:
                problems.append(finding("missing-element", name, f"{name} cannot be emptied"))
    relations = None
    if parsed.relations is not None:
        relations, more = _resolve_relations(parsed.relations, instance)
        problems += more
    if problems:
        return RecordOutcome(instance, "rejected", problems)
    values = {k: ("" if v is None else v) for k, v in values.items()}
    with transaction.atomic():
        if instance is None:
            obj = Provider.objects.create(**values)
            outcome, changed = "created", list(values)
        else:
            obj = Provider.objects.select_for_update().get(pk=instance.pk)
            # Checked under the row lock that issuing also takes, so that a key cannot be
            # made between the check and the change.
            fixed = _identity_fixed(obj, values)
            if fixed:
                return RecordOutcome(instance, "rejected", fixed)
            before = {name: getattr(obj, name) for name in IDENTITY_FIELDS}
            changed = _apply(obj, values)
            if changed:
                obj.save()
                _audit_identity(user, obj, before)
            outcome = "updated" if changed else "unchanged"
        if relations is not None and _replace_relations(obj, relations):
            changed.append("relations")
            outcome = "updated" if outcome == "unchanged" else outcome
        if outcome != "unchanged":
            _notify_catalogue("reindex_provider", obj)
        _audit(user, "provider", obj, outcome, changed)
    return RecordOutcome(obj, outcome, [])


#: The provider fields its credentials' identity is built from: the slug is the last segment of
#: its DID (``did:web:<host>:providers:<slug>``) and part of its status-list URLs.
IDENTITY_FIELDS = ("slug",)


def _identity_fixed(provider: Provider, values: dict[str, Any]) -> list[Finding]:
    """Findings for identity fields that may no longer change: the provider has a signing key
    (its DID is published) or has issued credentials (they name the DID and status lists)."""
    changing = [n for n in IDENTITY_FIELDS if n in values and values[n] != getattr(provider, n)]
    if not changing:
        return []
    # The reverse relations of the issuing app's records (ProviderKey, IssuedCredentialRecord).
    issued = provider.issued.exists()
    if not issued and not provider.keys.exists():
        return []
    why = "has issued credentials" if issued else "has a signing key (its DID is published)"
    return [
        finding(
            "identity-fixed",
            name,
            f"{provider.slug} {why}: its {name} is part of its DID "
            f"(did:web:...:providers:{provider.slug}) and of its status-list URLs, so changing "
            "it would make every credential it issued fail verification; it can no longer "
            "change",
        )
        for name in changing
    ]


def _audit_identity(user: Any, provider: Provider, before: dict[str, Any]) -> None:
    """An audit entry when a field the provider's DID is built from changed."""
    from microcred_web.issuing.audit import record_event  # the issuing app owns the log

    changes = [
        f"{name}: {before[name]} -> {getattr(provider, name)}"
        for name in IDENTITY_FIELDS
        if before[name] != getattr(provider, name)
    ]
    if changes:
        record_event(
            user, "change-provider-identity", f"provider {provider.public_id}", "; ".join(changes)
        )


def _resolve_relations(
    relations: list[RelationIn], source: Provider | None
) -> tuple[set[tuple[int, str, str]], list[Finding]]:
    wanted: set[tuple[int, str, str]] = set()
    problems = []
    for i, rel in enumerate(relations):
        target = find_provider(rel.target)
        if target is None:
            problems.append(
                finding("unknown-reference", f"relations.{i}.target", f"no provider {rel.target}")
            )
        elif source is not None and target.pk == source.pk:
            problems.append(
                finding(
                    "invalid-value", f"relations.{i}.target", "a provider cannot relate to itself"
                )
            )
        else:
            wanted.add((target.pk, rel.kind.value, rel.label))
    return wanted, problems


def _replace_relations(provider: Provider, wanted: set[tuple[int, str, str]]) -> bool:
    current = {(r.target_id, r.kind, r.label) for r in provider.relations.all()}
    if current == wanted:
        return False
    provider.relations.all().delete()
    ProviderRelation.objects.bulk_create(
        ProviderRelation(source=provider, target_id=t, kind=k, label=lbl) for t, k, lbl in wanted
    )
    return True


# --- agencies -------------------------------------------------------------------------------


def save_agency(user: Any, data: object, *, instance: Agency | None = None) -> RecordOutcome:
    """Create an agency (operator only) or update one (operator, or the agency's own staff)."""
    parsed, problems = parse_input(AgencyIn, data)
    if parsed is None:
        return RecordOutcome(None, "rejected", problems)
    values = _dump(parsed)
    if "activities" in values and values["activities"] is not None:
        values["activities"] = list(dict.fromkeys(values["activities"]))
    if instance is None and parsed.slug:
        instance = Agency.objects.filter(slug=parsed.slug).first()
    if instance is None:
        permissions.require(permissions.is_operator(user), "create agencies")
        for name in ("slug", "name", "acronym"):
            if values.get(name) is None:
                problems.append(finding("missing-element", name, f"{name} is required"))
    else:
        permissions.require(permissions.can_edit_agency(user, instance), f"edit {instance.slug}")
        if (
            parsed.slug
            and parsed.slug != instance.slug
            and Agency.objects.filter(slug=parsed.slug).exists()
        ):
            problems.append(finding("duplicate-value", "slug", f"{parsed.slug} is taken"))
        problems += _not_emptied(values, ("slug", "name", "acronym"))
    since = values.get("eqar_registered_since", getattr(instance, "eqar_registered_since", None))
    until = values.get("eqar_registered_until", getattr(instance, "eqar_registered_until", None))
    if since and until and until < since:
        problems.append(
            finding("invalid-value", "eqar_registered_until", "ends before eqar_registered_since")
        )
    if problems:
        return RecordOutcome(instance, "rejected", problems)
    for name in ("countries", "activities"):
        if name in values and values[name] is None:
            values[name] = []
    for name in ("website",):
        if name in values and values[name] is None:
            values[name] = ""
    with transaction.atomic():
        if instance is None:
            obj = Agency.objects.create(**values)
            _audit(user, "agency", obj, "created", list(values))
            return RecordOutcome(obj, "created", [])
        obj = Agency.objects.select_for_update().get(pk=instance.pk)
        changed = _apply(obj, values)
        if changed:
            obj.save()
            for provider in Provider.objects.filter(qa_results__agency=obj).distinct():
                _notify_catalogue("reindex_provider", provider)
        _audit(user, "agency", obj, "updated" if changed else "unchanged", changed)
    return RecordOutcome(obj, "updated" if changed else "unchanged", [])


# --- QA results -----------------------------------------------------------------------------


def save_qa_result(user: Any, data: object, *, instance: QAResult | None = None) -> RecordOutcome:
    """Record an external QA result (the agency's staff, or an operator).

    Without ``instance`` the result is found by (agency, local id). Every provider whose
    standing may change (before and after the write) is re-indexed once the write commits.
    """
    parsed, problems = parse_input(QAResultIn, data)
    if parsed is None:
        return RecordOutcome(None, "rejected", problems)
    values = _dump(parsed)
    if instance is not None:
        # A null in an update asks to empty the element; these are required, so say so (the
        # database would otherwise refuse the NOT NULL column with a 500).
        problems += _not_emptied(values, _QA_REQUIRED)
        if problems:
            return RecordOutcome(instance, "rejected", problems)
    agency = instance.agency if instance is not None else None
    if parsed.agency:
        agency = find_agency(parsed.agency)
        if agency is None:
            return RecordOutcome(
                instance,
                "rejected",
                [finding("unknown-reference", "agency", f"no agency {parsed.agency}")],
            )
    if agency is None:
        return RecordOutcome(
            None, "rejected", [finding("missing-element", "agency", "agency is required")]
        )
    permissions.require(
        permissions.can_record_qa_result(user, agency), f"record QA results of {agency.slug}"
    )
    if instance is not None:
        permissions.require(
            permissions.can_edit_qa_result(user, instance), f"edit {instance.public_id}"
        )
    elif parsed.local_id:
        instance = QAResult.objects.filter(agency=agency, local_id=parsed.local_id).first()
    if instance is None:
        for name in _QA_REQUIRED[1:]:
            if values.get(name) is None:
                problems.append(finding("missing-element", name, f"{name} is required"))
    elif (
        parsed.local_id
        and QAResult.objects.filter(agency=agency, local_id=parsed.local_id)
        .exclude(pk=instance.pk)
        .exists()
    ):
        problems.append(finding("duplicate-value", "local_id", "already used by the agency"))
    start = values.get("valid_from", getattr(instance, "valid_from", None))
    end = values.get("valid_until", getattr(instance, "valid_until", None))
    if start and end and end < start:
        problems.append(finding("invalid-value", "valid_until", "ends before valid_from"))
    providers = _resolve_all(values.pop("providers", None), find_provider, "providers", problems)
    covered = _resolve_all(
        values.pop("covered_specifications", None),
        lambda key: Specification.objects.filter(public_id=key).first(),
        "covered_specifications",
        problems,
    )
    if problems:
        return RecordOutcome(instance, "rejected", problems)
    values.pop("agency", None)
    values = {k: ("" if v is None and k.endswith("_url") else v) for k, v in values.items()}
    if instance is not None and instance.withdrawn_at is not None:
        if _would_change(instance, values, providers, covered):
            return RecordOutcome(instance, "rejected", [_WITHDRAWN])
        return RecordOutcome(instance, "unchanged", [])
    if values.get("status", "") is None:
        values["status"] = QAResult.Status.OBLIGATORY
    if values.get("covers_microcredentials", False) is None:
        values["covers_microcredentials"] = False
    with transaction.atomic():
        if instance is None:
            obj = QAResult.objects.create(agency=agency, **values)
            outcome, changed = "created", ["agency", *values]
            before: set[int] = set()
        else:
            obj = QAResult.objects.select_for_update().get(pk=instance.pk)
            before = set(obj.providers.values_list("pk", flat=True))
            changed = ["agency"] if obj.agency_id != agency.pk else []
            obj.agency = agency
            changed += _apply(obj, values)
            if changed:
                obj.save()
            outcome = "updated" if changed else "unchanged"
        if providers is not None and set(p.pk for p in providers) != before:
            obj.providers.set(providers)
            changed.append("providers")
            outcome = "updated" if outcome == "unchanged" else outcome
        if covered is not None:
            current = set(obj.covered_specifications.values_list("pk", flat=True))
            if current != {s.pk for s in covered}:
                obj.covered_specifications.set(covered)
                changed.append("covered_specifications")
                outcome = "updated" if outcome == "unchanged" else outcome
        if outcome != "unchanged":
            after = set(obj.providers.values_list("pk", flat=True))
            for provider in Provider.objects.filter(pk__in=before | after):
                _notify_catalogue("reindex_provider", provider)
        _audit(user, "qa-result", obj, outcome, changed)
    return RecordOutcome(obj, outcome, [])


#: A withdrawn result is kept as it was (``register/qa_withdrawal.py``); a new decision is a
#: new result. Sending it unchanged (an exported file imported again) is not an error.
_WITHDRAWN = finding(
    "withdrawn",
    "",
    "this result was withdrawn from the register and can no longer change; record a new result",
)


def _would_change(
    result: QAResult, values: dict[str, Any], providers: list[Any] | None, covered: list[Any] | None
) -> bool:
    if any(getattr(result, name) != value for name, value in values.items()):
        return True
    if providers is not None and {p.pk for p in providers} != set(
        result.providers.values_list("pk", flat=True)
    ):
        return True
    return covered is not None and {s.pk for s in covered} != set(
        result.covered_specifications.values_list("pk", flat=True)
    )


#: What a QA result must always have: ``agency`` first (a create finds it separately).
_QA_REQUIRED = ("agency", "local_id", "activity", "providers", "decision", "valid_from")


def _not_emptied(values: dict[str, Any], required: tuple[str, ...]) -> list[Finding]:
    """Findings for required elements an update sends as null."""
    return [
        finding("missing-element", name, f"{name} cannot be emptied")
        for name in required
        if name in values and values[name] is None
    ]


def _resolve_all(
    keys: list[str] | None, lookup: Any, path: str, problems: list[Finding]
) -> list[Any] | None:
    if keys is None:
        return None
    found = []
    for i, key in enumerate(keys):
        obj = lookup(key)
        if obj is None:
            problems.append(finding("unknown-reference", f"{path}.{i}", f"no record {key}"))
        else:
            found.append(obj)
    return found


# --- shared ---------------------------------------------------------------------------------


def _dump(parsed: BaseModel, **kwargs: Any) -> dict[str, Any]:
    """The fields given, with enum members as their plain string values."""
    out = parsed.model_dump(exclude_unset=True, **kwargs)
    for name, value in out.items():
        if isinstance(value, Enum):
            out[name] = value.value
        elif isinstance(value, list):
            out[name] = [v.value if isinstance(v, Enum) else v for v in value]
    return out


def _apply(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the given fields; the names of those whose value differs from what is stored."""
    changed = []
    for name, value in values.items():
        stored = getattr(obj, name)
        if stored != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _audit(user: Any, kind: str, obj: Any, outcome: str, fields: list[str]) -> None:
    """The audit row of a register write (field names only: no values, nothing personal)."""
    if outcome not in ("created", "updated"):
        return
    key = getattr(obj, "slug", None) or f"{obj.agency.slug}/{obj.local_id}"
    details = {"public_id": obj.public_id, "fields": sorted(set(fields))}
    record_event(user, f"{kind}-{outcome}", f"{kind} {key}", details=details)


def _notify_catalogue(name: str, arg: object) -> None:
    """Tell the catalogue search index, after commit, that something it shows changed.

    Imported lazily so the register works (and its tests run) without the catalogue app; a
    failing index update is logged, not raised: the database is the source of truth and the
    index can be rebuilt from it at any time.
    """

    def run() -> None:
        try:
            from microcred_web.catalogue import services
        except ImportError:
            return
        func = getattr(services, name, None)
        if func is not None:
            func(arg)

    transaction.on_commit(run, robust=True)
