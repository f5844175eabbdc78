"""Register services: the one place where register records are written.

Views, the API and bulk import call these functions; they check permissions, run the core
validation, keep version history, and tell the catalogue index what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from microcred.register.standing import Agency as CoreAgency
from microcred.register.standing import QAResult as CoreResult
from microcred.register.standing import Standing, standing_on
from microcred.standard.json_format import spec_to_dict
from microcred.standard.validation import parse_spec
from microcred_web.issuing.audit import record_event
from microcred_web.register import permissions
from microcred_web.register.models import (
    Provider,
    QAResult,
    Specification,
    SpecificationVersion,
)


@dataclass(frozen=True)
class SaveOutcome:
    specification: Specification | None
    outcome: str  # created | updated | unchanged | rejected
    findings: list[dict[str, Any]]


def save_specification(
    user: Any, provider: Provider, data: object, *, status: str | None = None
) -> SaveOutcome:
    """Create or update the provider's specification with the given local ``id``.

    Idempotent on (provider, local id): the same data twice is ``unchanged`` and adds no
    version. Records with errors are kept as drafts with their findings (nothing is lost),
    but can never be published.
    """
    permissions.require(
        permissions.can_edit_specifications(user, provider),
        f"edit specifications of {provider.slug}",
    )
    spec, report = parse_spec(data)
    findings = [f.as_dict() for f in report]
    if spec is None or not spec.id:
        missing = {
            "code": "missing-element",
            "severity": "error",
            "path": "id",
            "message": "the provider's local id is needed to store a specification",
        }
        return SaveOutcome(None, "rejected", [*findings, missing] if spec else findings)
    stored = spec_to_dict(spec)
    wanted = status or Specification.Status.DRAFT
    if wanted == Specification.Status.PUBLISHED and not report.ok:
        return SaveOutcome(None, "rejected", findings)
    with transaction.atomic():
        existing = (
            Specification.objects.select_for_update()
            .filter(provider=provider, local_id=spec.id)
            .first()
        )
        title = (spec.title.get("en") or next(iter(spec.title.values()), ""))[:500]
        if existing is None:
            obj = Specification.objects.create(
                provider=provider,
                local_id=spec.id,
                status=wanted,
                data=stored,
                title_en=title,
                findings=findings,
                has_errors=not report.ok,
            )
            _snapshot(obj, user)
            _catalogue_changed(obj)
            _audit(user, "specification-created", obj, sorted(stored), status=obj.status)
            return SaveOutcome(obj, "created", findings)
        new_status = status or existing.status
        if new_status == Specification.Status.PUBLISHED and not report.ok:
            new_status = Specification.Status.DRAFT
        if existing.data == stored and existing.status == new_status:
            return SaveOutcome(existing, "unchanged", findings)
        fields = sorted(
            name
            for name in set(existing.data) | set(stored)
            if existing.data.get(name) != stored.get(name)
        )
        fields += ["status"] if existing.status != new_status else []
        _audit(user, "specification-updated", existing, fields, status=new_status)
        existing.data, existing.status, existing.title_en = stored, new_status, title
        existing.findings, existing.has_errors = findings, not report.ok
        existing.version += 1
        existing.save()
        _snapshot(existing, user)
        _catalogue_changed(existing)
        return SaveOutcome(existing, "updated", findings)


def set_status(user: Any, specification: Specification, status: str) -> Specification:
    """Move along the life cycle draft -> published -> withdrawn (and back to draft)."""
    permissions.require(
        permissions.can_edit_specifications(user, specification.provider),
        f"change the status of {specification.public_id}",
    )
    if status == Specification.Status.PUBLISHED and specification.has_errors:
        raise ValueError("a specification with errors cannot be published; fix the findings")
    if status not in Specification.Status.values:
        raise ValueError(f"unknown status {status!r}")
    if specification.status != status:
        with transaction.atomic():
            before = specification.status
            specification.status = status
            specification.version += 1
            specification.save()
            _snapshot(specification, user)
            _catalogue_changed(specification)
            _audit(user, "specification-status", specification, ["status"], before=before)
    return specification


def _audit(user: Any, action: str, spec: Specification, fields: list[str], **more: Any) -> None:
    """The audit row of a specification write: which elements changed, never their values."""
    details = {
        "provider": spec.provider.slug,
        "local_id": spec.local_id,
        "fields": fields,
        "status": spec.status,
    }
    details.update(more)
    record_event(user, action, f"specification {spec.public_id}", details=details)


def _catalogue_changed(spec: Specification) -> None:
    """Keep the catalogue index in step, once the write is committed (never on rollback)."""
    from microcred_web.catalogue import services as catalogue_services  # avoids an import cycle

    transaction.on_commit(lambda: catalogue_services.specification_changed(spec))


def _snapshot(spec: Specification, user: Any) -> None:
    SpecificationVersion.objects.create(
        specification=spec,
        version=spec.version,
        status=spec.status,
        data=spec.data,
        findings=spec.findings,
        author=user if getattr(user, "is_authenticated", False) else None,
    )


def provider_standing(
    provider: Provider, day: date | None = None, specification: Specification | None = None
) -> Standing:
    """The provider's QA standing on ``day`` (today by default), from the register."""
    results = provider.qa_results.select_related("agency").prefetch_related(
        "covered_specifications"
    )
    return standing_on(
        [to_core_result(r) for r in results],
        day or date.today(),
        specification.public_id if specification is not None else None,
    )


def to_core_result(result: QAResult) -> CoreResult:
    agency = result.agency
    return CoreResult(
        agency=CoreAgency(
            name=agency.acronym,
            eqar_registered_since=agency.eqar_registered_since,
            eqar_registered_until=agency.eqar_registered_until,
            key=agency.public_id,
        ),
        activity=result.activity,
        decision=result.decision,
        valid_from=result.valid_from,
        valid_until=result.valid_until,
        covers_microcredentials=result.covers_microcredentials,
        covered_specifications=frozenset(s.public_id for s in result.covered_specifications.all()),
        report_url=result.report_url or None,
        key=result.public_id,
        sequence=result.pk or 0,
        withdrawn=result.withdrawn_at is not None,
    )
