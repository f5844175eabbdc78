"""Load the demo register and catalogue (``manage.py seed_demo``, run by ``make run``).

Idempotent: every record is found by its natural key (slug; agency and local id; provider and
local id; username) and only what is missing is created, so a second run changes nothing and
edits made while demonstrating survive a restart. Specifications go through
:func:`~microcred_web.register.services.save_specification` and
:func:`~microcred_web.register.services.set_status` as the demo operator, so their validation
findings and version history are stored exactly as for real data.

Public ids of providers, agencies and QA results are derived from their natural keys, so demo
URLs are the same on every install; specification ids are given by the register service.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from microcred_web.register import demo_data, demo_specs
from microcred_web.register.models import (
    Agency,
    Membership,
    Provider,
    ProviderRelation,
    QAResult,
    Role,
    Specification,
)
from microcred_web.register.services import save_specification, set_status

PASSWORD_ENV = "MICROCRED_DEMO_PASSWORD"
OPERATOR = "operator"
#: Demo staff accounts: username -> (role, agency or provider slug).
STAFF = {
    "demo-provider": (Role.PROVIDER, "north-sea-university"),
    "demo-agency": (Role.AGENCY, "nvao"),
}

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def demo_public_id(prefix: str, key: str) -> str:
    """A stable public id (same alphabet and length as the register's) for a demo record."""
    digest = int.from_bytes(hashlib.sha256(f"microcred-demo:{prefix}:{key}".encode()).digest())
    chars = []
    for _ in range(8):
        digest, index = divmod(digest, 32)
        chars.append(_CROCKFORD[index])
    return f"{prefix}-{''.join(chars)}"


@dataclass
class SeedReport:
    """What one run did (``changes``: (kind, created|existing) -> count)."""

    changes: Counter[tuple[str, str]] = field(default_factory=Counter)

    def note(self, kind: str, created: bool) -> None:
        self.changes[(kind, "created" if created else "existing")] += 1

    @property
    def created(self) -> int:
        return sum(n for (_, outcome), n in self.changes.items() if outcome == "created")

    @property
    def existing(self) -> int:
        return sum(n for (_, outcome), n in self.changes.items() if outcome == "existing")


def seed() -> SeedReport:
    """Load whatever of the demo data is missing, in one transaction."""
    report = SeedReport()
    with transaction.atomic():
        operator = _users(report)
        agencies = {row.slug: _agency(row, report) for row in demo_data.AGENCIES}
        providers = {row.slug: _provider(row, report) for row in demo_data.PROVIDERS}
        _memberships(agencies, providers, report)
        for rel in demo_data.RELATIONS:
            _, created = ProviderRelation.objects.get_or_create(
                source=providers[rel.source],
                target=providers[rel.target],
                kind=rel.kind,
                defaults={"label": rel.label},
            )
            report.note("relation", created)
        _specifications(operator, providers, report)
        for row in demo_data.RESULTS:
            _result(row, agencies, providers, report)
    return report


# --- users --------------------------------------------------------------------------------


def _user(username: str, report: SeedReport) -> Any:
    user_model = get_user_model()
    password = os.environ.get(PASSWORD_ENV)
    user = user_model.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = user_model(username=username, email=f"{username}@microcred-demo.example")
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif password and not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    report.note("user", created)
    return user


def _users(report: SeedReport) -> Any:
    operator = _user(OPERATOR, report)
    _, created = Membership.objects.get_or_create(user=operator, role=Role.OPERATOR)
    report.note("membership", created)
    return operator


def _memberships(
    agencies: dict[str, Agency], providers: dict[str, Provider], report: SeedReport
) -> None:
    for username, (role, slug) in STAFF.items():
        user = _user(username, report)
        target = (
            {"agency": agencies[slug]} if role == Role.AGENCY else {"provider": providers[slug]}
        )
        _, created = Membership.objects.get_or_create(user=user, role=role, **target)
        report.note("membership", created)


# --- register records ---------------------------------------------------------------------


def _agency(row: demo_data.AgencyRow, report: SeedReport) -> Agency:
    agency, created = Agency.objects.get_or_create(
        slug=row.slug,
        defaults={
            "public_id": demo_public_id("A", row.slug),
            "name": row.name,
            "acronym": row.acronym,
            "countries": row.countries,
            "website": row.website,
            "eqar_registered_since": row.eqar_since,
            "activities": row.activities,
        },
    )
    report.note("agency", created)
    return agency


def _provider(row: demo_data.ProviderRow, report: SeedReport) -> Provider:
    provider, created = Provider.objects.get_or_create(
        slug=row.slug,
        defaults={
            "public_id": demo_public_id("P", row.slug),
            "kind": row.kind,
            "legal_name": row.legal_name,
            "display_name": row.display_name,
            "country": row.country,
            "city": row.city,
            "website": row.website,
            "national_id": row.national_id,
            "erasmus_code": row.erasmus_code,
            "schac": row.schac,
            "deqar_id": row.deqar_id,
            "eidas_id": row.eidas_id,
        },
    )
    report.note("provider", created)
    return provider


def _result(
    row: demo_data.ResultRow,
    agencies: dict[str, Agency],
    providers: dict[str, Provider],
    report: SeedReport,
) -> None:
    agency = agencies[row.agency]
    if QAResult.objects.filter(agency=agency, local_id=row.local_id).exists():
        report.note("qa-result", False)
        return
    result = QAResult.objects.create(
        public_id=demo_public_id("Q", f"{row.agency}/{row.local_id}"),
        agency=agency,
        local_id=row.local_id,
        activity=row.activity,
        decision=row.decision,
        status=row.status,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        covers_microcredentials=row.covers_microcredentials,
        report_url=demo_data.report_url(row.agency, row.local_id),
        decision_url=demo_data.report_url(row.agency, row.local_id).replace(
            ".pdf", "-decision.pdf"
        ),
    )
    owners = [providers[slug] for slug in row.providers]
    result.providers.set(owners)
    if row.specifications:
        result.covered_specifications.set(
            Specification.objects.filter(provider__in=owners, local_id__in=row.specifications)
        )
    report.note("qa-result", True)


# --- specifications -----------------------------------------------------------------------


def _specifications(operator: Any, providers: dict[str, Provider], report: SeedReport) -> None:
    existing = set(
        Specification.objects.filter(provider__in=providers.values()).values_list(
            "provider__slug", "local_id"
        )
    )
    wanted: list[tuple[str, dict[str, Any], str]] = [
        (row.provider, demo_specs.spec_data(row, i), row.status)
        for i, row in enumerate(demo_specs.SPECS)
    ]
    wanted += [(slug, data, "draft") for slug, data in demo_specs.invalid_specs()]
    for slug, data, status in wanted:
        if (slug, data["id"]) in existing:
            report.note("specification", False)
            continue
        first = "draft" if status == "draft" else "published"
        outcome = save_specification(operator, providers[slug], data, status=first)
        if outcome.specification is None:  # pragma: no cover - the demo data are checked
            raise RuntimeError(f"demo specification {data['id']} rejected: {outcome.findings}")
        if status == "withdrawn":
            set_status(operator, outcome.specification, status)
        report.note("specification", True)


# --- summary ------------------------------------------------------------------------------


def summary(day: date | None = None) -> list[str]:
    """Counts of what the register holds now (not only demo data), for the command's output."""
    today = day or date.today()
    providers = Provider.objects.all()
    countries = sorted(set(providers.values_list("country", flat=True)))
    kinds = Counter(providers.values_list("kind", flat=True))
    results = QAResult.objects.all()
    decisions = Counter(results.values_list("decision", flat=True))
    expired = results.filter(valid_until__lt=today).count()
    specs = Specification.objects.all()
    statuses = Counter(specs.values_list("status", flat=True))
    with_errors = specs.filter(has_errors=True).count()
    in_catalogue = specs.filter(status=Specification.Status.PUBLISHED, has_errors=False).count()
    eqar = Agency.objects.filter(eqar_registered_since__isnull=False).count()
    return [
        f"  countries       {len(countries)} ({', '.join(countries)})",
        f"  agencies        {Agency.objects.count()} ({eqar} registered in EQAR)",
        f"  providers       {providers.count()} ({_counts(kinds)})",
        f"  relations       {ProviderRelation.objects.count()}",
        f"  QA results      {results.count()} ({_counts(decisions)}; {expired} expired)",
        f"  specifications  {specs.count()} ({_counts(statuses)}; {with_errors} with errors; "
        f"{in_catalogue} in the catalogue)",
        f"  users           {get_user_model().objects.count()} "
        f"({Membership.objects.count()} memberships)",
    ]


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {n}" for key, n in sorted(counter.items()))
