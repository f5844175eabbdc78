"""Withdrawing an external QA result from the register (the agency's staff, or an operator).

Withdrawing is for a result recorded in error, or one its agency has annulled: the row is kept
and shown as "Withdrawn" with the reason, but counts on no date
(``docs/decisions/0019-which-qa-result-stands.md``). A new decision is recorded as a new
result instead, so that the standing on past dates stays what it was.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from microcred_web.issuing.audit import record_event
from microcred_web.register import permissions
from microcred_web.register.models import Provider, QAResult
from microcred_web.register.records import RecordOutcome, _notify_catalogue, finding

MAX_REASON_LENGTH = 1000


def withdraw_qa_result(user: Any, result: QAResult, reason: str) -> RecordOutcome:
    """Mark ``result`` withdrawn with ``reason``; ``rejected`` with a finding on bad input."""
    permissions.require(
        permissions.can_edit_qa_result(user, result), f"withdraw {result.public_id}"
    )
    reason = (reason or "").strip()
    problems = []
    if not reason:
        problems.append(finding("missing-element", "reason", "say why the result is withdrawn"))
    elif len(reason) > MAX_REASON_LENGTH or "\x00" in reason:
        problems.append(
            finding("invalid-value", "reason", f"at most {MAX_REASON_LENGTH} characters of text")
        )
    if result.withdrawn_at is not None:
        problems.append(finding("invalid-value", "result", "this result is already withdrawn"))
    if problems:
        return RecordOutcome(result, "rejected", problems)
    with transaction.atomic():
        row = QAResult.objects.select_for_update().get(pk=result.pk)
        if row.withdrawn_at is not None:
            return RecordOutcome(
                row, "rejected", [finding("invalid-value", "result", "already withdrawn")]
            )
        row.withdrawn_at, row.withdrawn_reason = timezone.now(), reason
        row.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated"])
        record_event(
            user,
            "qa-result-withdrawn",
            f"qa-result {row.agency.slug}/{row.local_id}",
            reason,
            details={"public_id": row.public_id},
        )
        for provider in Provider.objects.filter(qa_results=row):
            _notify_catalogue("reindex_provider", provider)
    return RecordOutcome(row, "updated", [])
