"""The editor's writes and reads: every one checks the right, then calls the register.

Saving and publishing are the register's own (:func:`~microcred_web.register.services.
save_specification`, :func:`~microcred_web.register.services.set_status`), so a page, the API
and an import keep one set of rules: drafts are kept with their errors, and a specification
with errors is never published. What the editor adds is the typed form (:class:`EditorDraft`),
duplicate, withdraw with a reason, and the version history with its diff.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from microcred.standard.validation import parse_spec
from microcred_web.editor.models import EditorDraft, Withdrawal
from microcred_web.issuing.audit import record_event
from microcred_web.register import importing, permissions
from microcred_web.register import services as register
from microcred_web.register.models import Provider, Specification, SpecificationVersion
from microcred_web.tasks.models import Job

#: Longest reason for a withdrawal (shown on the public page).
MAX_REASON = 2000


def can_edit(user: Any, provider: Provider) -> bool:
    """Who may write and read a provider's specifications in the editor: its editors and
    admins, and the operator (the one place the editor asks; the register's services ask
    the same helper)."""
    return permissions.can_edit_specifications(user, provider)


def require_edit(user: Any, provider: Provider) -> None:
    permissions.require(can_edit(user, provider), f"edit specifications of {provider.slug}")


class EditorError(ValueError):
    """A request the editor refuses, with the form field it is about."""

    def __init__(self, field: str, message: str, code: str = "invalid-value") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        #: Stable, for the API: ``invalid-value``, ``duplicate-value``, ``not-published``.
        self.code = code


@dataclass(frozen=True)
class EditorOutcome:
    specification: Specification | None
    outcome: str  # created | updated | unchanged | rejected
    findings: list[dict[str, Any]]
    publish_refused: bool = False

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f.get("severity") == "error"]


def specifications(user: Any, provider: Provider) -> list[Specification]:
    require_edit(user, provider)
    return list(provider.specifications.order_by("title_en", "local_id"))


def get_specification(user: Any, provider: Provider, public_id: str) -> Specification | None:
    require_edit(user, provider)
    return Specification.objects.filter(provider=provider, public_id=public_id).first()


def editor_data(user: Any, spec: Specification) -> dict[str, Any]:
    """What the editor shows: the typed draft when it belongs to the current version, else the
    register's record (someone changed it since, through the API or an import)."""
    require_edit(user, spec.provider)
    draft = EditorDraft.objects.filter(specification=spec).first()
    if draft is not None and draft.version == spec.version:
        return copy.deepcopy(draft.data)
    return copy.deepcopy(spec.data)


def check(data: Any) -> list[dict[str, Any]]:
    """The core's findings for a form's data (what the API's validate answers)."""
    _, report = parse_spec(data)
    return [f.as_dict() for f in report]


def save(
    user: Any,
    provider: Provider,
    data: dict[str, Any],
    *,
    spec: Specification | None = None,
    publish: bool = False,
) -> EditorOutcome:
    """Save the form as typed; publish it too when asked and it has no errors.

    A new specification needs a local id not used yet by the provider (else the register would
    update the other one); an existing one keeps its id whatever the form says.
    """
    require_edit(user, provider)
    data = copy.deepcopy(data)
    if spec is not None:
        data["id"] = spec.local_id
    else:
        local_id = data.get("id")
        if isinstance(local_id, str) and len(local_id) > 120:
            raise EditorError("id", _("the local identifier is at most 120 characters"))
        other = Specification.objects.filter(provider=provider, local_id=local_id).first()
        if other is not None:
            raise EditorError(
                "id",
                _(
                    "%(id)s is already the local identifier of %(other)s; "
                    "choose another one or edit that specification"
                )
                % {"id": local_id, "other": other.public_id},
            )
    findings = check(data)
    has_errors = any(f["severity"] == "error" for f in findings)
    status = Specification.Status.PUBLISHED if publish and not has_errors else None
    saved = register.save_specification(user, provider, data, status=status)
    obj = saved.specification
    if obj is not None and saved.outcome != "rejected":
        EditorDraft.objects.update_or_create(
            specification=obj, defaults={"version": obj.version, "data": data}
        )
    return EditorOutcome(obj, saved.outcome, saved.findings, publish and has_errors)


def publish(user: Any, spec: Specification) -> Specification:
    """Publish as it stands (refused while it has errors: the register's rule)."""
    require_edit(user, spec.provider)
    return register.set_status(user, spec, Specification.Status.PUBLISHED)


def duplicate(user: Any, spec: Specification, local_id: str) -> Specification:
    """A new draft with the same elements under a new local id: a starting point."""
    require_edit(user, spec.provider)
    local_id = local_id.strip()
    if not local_id:
        raise EditorError("local_id", _("give the new specification its own local identifier"))
    if len(local_id) > 120:
        raise EditorError("local_id", _("the local identifier is at most 120 characters"))
    if Specification.objects.filter(provider=spec.provider, local_id=local_id).exists():
        raise EditorError(
            "local_id",
            _("%(id)s is already used by another specification") % {"id": local_id},
            "duplicate-value",
        )
    data = editor_data(user, spec)
    data["id"] = local_id
    with transaction.atomic():
        saved = register.save_specification(
            user, spec.provider, data, status=Specification.Status.DRAFT
        )
        if saved.specification is None:  # pragma: no cover - the id is there, so it saves
            raise EditorError("local_id", "the copy could not be saved")
        EditorDraft.objects.update_or_create(
            specification=saved.specification,
            defaults={"version": saved.specification.version, "data": data},
        )
    return saved.specification


def withdraw(user: Any, spec: Specification, reason: str) -> Specification:
    """Take a published specification out of the catalogue, saying why (shown publicly).

    Credentials already issued stay valid: withdrawing stops new learners, it does not undo
    what learners achieved.
    """
    require_edit(user, spec.provider)
    reason = reason.strip()
    if not reason:
        raise EditorError("reason", _("say why it is withdrawn: the reason is shown on its page"))
    if len(reason) > MAX_REASON:
        raise EditorError("reason", _("the reason is at most %(n)d characters") % {"n": MAX_REASON})
    if spec.status != Specification.Status.PUBLISHED:
        raise EditorError(
            "reason", _("only a published specification can be withdrawn"), "not-published"
        )
    with transaction.atomic():
        register.set_status(user, spec, Specification.Status.WITHDRAWN)
        Withdrawal.objects.create(
            specification=spec,
            version=spec.version,
            reason=reason,
            author=user if getattr(user, "is_authenticated", False) else None,
        )
        record_event(
            user,
            "specification-withdrawn",
            f"specification {spec.public_id}",
            reason,
            details={"provider": spec.provider.slug, "version": spec.version},
        )
    return spec


def withdrawal_of(spec: Specification) -> Withdrawal | None:
    """The latest withdrawal of a withdrawn specification (public: its reason is shown)."""
    if spec.status != Specification.Status.WITHDRAWN:
        return None
    return spec.withdrawals.first()


def versions(user: Any, spec: Specification) -> list[SpecificationVersion]:
    require_edit(user, spec.provider)
    found = list(spec.versions.select_related("author").order_by("-version"))
    for version in found:  # shown in the history table
        version.error_count = sum(  # type: ignore[attr-defined]
            1 for f in version.findings if isinstance(f, dict) and f.get("severity") == "error"
        )
    return found


def version_pair(
    user: Any, spec: Specification, before: int, after: int
) -> tuple[SpecificationVersion, SpecificationVersion]:
    require_edit(user, spec.provider)
    found = {v.version: v for v in spec.versions.filter(version__in=[before, after])}
    for name, number in (("from", before), ("to", after)):
        if number not in found:
            raise EditorError(
                name, _("%(id)s has no version %(n)d") % {"id": spec.public_id, "n": number}
            )
    return found[before], found[after]


def import_or_queue(
    user: Any, provider: Provider, data: bytes, name: str, *, publish: bool
) -> importing.ImportReport | Job:
    """Import now and return the report, or, for a file of more rows than
    ``MICROCRED_IMPORT_BACKGROUND_ROWS``, queue it for the worker and return the job.

    Why a threshold rather than always the worker: a file of a few rows is answered in under
    a second with its report on the same page, which is what someone fixing a file and
    uploading it again wants; thousands of rows would hold the request for minutes (and be
    cut off by the server's timeout), so they go to the worker and the page follows them.
    The whole-file checks run first either way (:class:`importing.ImportFileError`).
    """
    from microcred_web.tasks import services as jobs

    require_edit(user, provider)
    status = Specification.Status.PUBLISHED if publish else None
    try:
        rows = jobs.read_import(
            user, data, kind="specifications", filename=name, provider=provider, status=status
        )
    except jobs.StartRefused as refused:
        raise importing.ImportFileError(refused.message) from None
    if rows <= jobs.import_background_rows():
        return import_file(user, provider, data, name, publish=publish)
    try:
        return jobs.start_import(
            user, data, kind="specifications", filename=name, provider=provider, status=status
        )
    except jobs.StartRefused as refused:
        raise importing.ImportFileError(refused.message) from None


def import_file(
    user: Any, provider: Provider, data: bytes, name: str, *, publish: bool
) -> importing.ImportReport:
    """The import command's import (idempotent: a re-upload leaves finished rows unchanged)."""
    require_edit(user, provider)
    return importing.import_bytes(
        data,
        kind="specifications",
        user=user,
        name=name,
        provider=provider,
        status=Specification.Status.PUBLISHED if publish else None,
    )
