"""The ``qa`` and ``annex1`` checks: was the awarding body quality assured; is it complete?

These are what sets a European micro-credential apart from any signed badge: the brief asks
the verifier for the *issuer's QA status on the day of issue* as a graded finding (not a
silent yes/no), and for the completeness of the Annex I elements of the Council
Recommendation 2022/C 243/02.

- ``qa``: the issuer is looked up in the register (:class:`~microcred.verify.resolvers.QARegister`)
  and its standing computed by :func:`microcred.register.standing.standing_on` on the issue
  date — ``validFrom`` (VC 2.0 §4.9, https://www.w3.org/TR/vc-data-model-2.0/#validity-period),
  else OBv3 ``awardedDate``. The grade maps to the status (assured: ok; conditional,
  non-EQAR agency, not covering, expired, none: warning; negative: error); an issuer the
  register does not know is a warning, since foreign issuers are legitimate.
- ``annex1``: the credential is mapped back to the Annex I model by the OBv3 reader
  (``microcred.credentials.obv3``), then validated; what is missing is listed as a warning
  (the signature still holds; the credential is only less informative). Skipped when this
  installation has no OBv3 reader.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, cast

from microcred.credentials.did_web import parse_datetime
from microcred.register.standing import standing_on
from microcred.standard.model import IssuedCredential
from microcred.standard.validation import validate_credential
from microcred.verify.checks import ANNEX1, QA, Check, Status, ok, skipped, warning
from microcred.verify.context import VerificationContext
from microcred.verify.proof_checks import issuer_id

#: Modules that may hold the OBv3 reader (it may be split from the builder).
OBV3_READERS = ("microcred.credentials.obv3_read", "microcred.credentials.obv3")

Reader = Callable[[Mapping[str, Any]], IssuedCredential]


def issue_date(document: Mapping[str, Any]) -> date | None:
    """The date of issuing: ``validFrom``, else OBv3 ``awardedDate`` (in UTC)."""
    for name in ("validFrom", "awardedDate"):
        moment = parse_datetime(document.get(name))
        if moment is not None:
            return moment.date()
    return None


def _specification_id(document: Mapping[str, Any]) -> str | None:
    subject = document.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    identifier = achievement.get("id") if isinstance(achievement, Mapping) else None
    return identifier if isinstance(identifier, str) else None


def check_qa(document: Mapping[str, Any], ctx: VerificationContext) -> Check:
    """The issuer's QA standing on the date of issue, graded."""
    if ctx.qa_register is None:
        return skipped(QA, "no register of providers to consult")
    issuer = issuer_id(document)
    if issuer is None:  # pragma: no cover - the format check requires an issuer
        return skipped(QA, "the credential names no issuer")
    entry = ctx.qa_register.lookup(issuer)
    if entry is None:
        return warning(
            QA,
            "unknown-issuer",
            "issuer not in this register: its quality assurance cannot be confirmed here",
            issuer=issuer,
        )
    day = issue_date(document)
    if day is None:
        return warning(
            QA, "no-issue-date", f"{entry.provider}: the credential has no date of issue"
        )
    standing = standing_on(entry.results, day, _specification_id(document))
    details: dict[str, Any] = {
        "reason": f"qa-{standing.grade.name.lower().replace('_', '-')}",
        "provider": entry.provider,
        "issuer": issuer,
        "date": day.isoformat(),
        "grade": standing.grade.name.lower(),
        "quality_assured": standing.quality_assured,
    }
    if standing.basis is not None and standing.basis.report_url:
        details["report"] = standing.basis.report_url
    if standing.basis is not None and standing.basis.agency.key:
        # The register's id of the agency the standing rests on, so a page can link to it.
        details["agency"] = standing.basis.agency.key
    verdict = "quality assured" if standing.quality_assured else "not quality assured"
    message = f"{entry.provider} was {verdict} on {day.isoformat()}: {standing.reason}"
    return Check(QA, Status(standing.status), message, details)


def obv3_reader() -> tuple[Reader, type[Exception]] | None:
    """``(read_credential, ObvMappingError)`` from the OBv3 mapping module, if installed."""
    for name in OBV3_READERS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        reader = getattr(module, "read_credential", None)
        if callable(reader):
            failure = getattr(module, "ObvMappingError", ValueError)
            if not (isinstance(failure, type) and issubclass(failure, Exception)):
                failure = ValueError
            return cast(Reader, reader), failure
    return None


def check_annex1(document: Mapping[str, Any]) -> Check:
    """Completeness of the Annex I elements inside the signed credential."""
    found = obv3_reader()
    if found is None:
        return skipped(ANNEX1, "not checked: this installation has no OBv3 reader")
    reader, failure = found
    try:
        credential = reader(document)
    except (failure, ValueError) as exc:
        return warning(ANNEX1, "annex1-unreadable", f"the Annex I elements cannot be read: {exc}")
    report = validate_credential(credential)
    missing = [finding.path for finding in report.errors if finding.code == "missing-element"]
    others = [finding for finding in report.errors if finding.code != "missing-element"]
    findings = [finding.as_dict() for finding in report.findings]
    if missing:
        return warning(
            ANNEX1,
            "missing-elements",
            f"mandatory Annex I elements missing: {', '.join(missing)}",
            missing=missing,
            findings=findings,
        )
    if others:
        return warning(
            ANNEX1,
            "invalid-elements",
            "Annex I elements with errors: "
            + "; ".join(f"{finding.path}: {finding.message}" for finding in others),
            findings=findings,
        )
    return ok(ANNEX1, "every mandatory Annex I element is present", findings=findings)
