"""Merging a duplicate provider record into the one kept.

What moves, in one transaction: the duplicate's specifications (their public ids stay, so
their catalogue pages keep working), its QA results (the kept provider is put in their
provider list), its memberships (staff act for the kept provider), its relations. The
duplicate's row is then deleted and a :class:`~microcred_web.operator.models.MergedProvider`
keeps its slug and public id leading to the kept record (its public page redirects).

Refused when the duplicate has signed anything: credentials (and status lists) name the
duplicate's ``did:web``, which is built from its slug, and its keys sign for that DID only;
moving them would leave credentials whose issuer no longer resolves, and re-issuing them under
another DID is not the operator's to do. The duplicate is then kept (the provider's staff can
stop using it); only an unsigned duplicate (the common case: a second registration) merges.
Also refused: both holding a specification with the same local id (the provider's natural key).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from microcred_web.issuing.audit import record_event
from microcred_web.issuing.models import IssuedCredentialRecord, ProviderKey, StatusListRecord
from microcred_web.operator.guard import require_operator
from microcred_web.operator.models import MergedProvider
from microcred_web.register.models import (
    Membership,
    Provider,
    ProviderRelation,
    QAResult,
    Specification,
)


class MergeRefused(Exception):
    """A refusal; ``field`` is the form field at fault, ``code`` the API's stable code, and
    ``conflict`` says what the records hold is in the way (a 409), not the input."""

    def __init__(
        self,
        message: str,
        field: str = "duplicate",
        code: str = "refused",
        *,
        conflict: bool = False,
    ) -> None:
        super().__init__(message)
        self.message, self.field, self.code, self.conflict = message, field, code, conflict


def merge(user: Any, kept: Provider, duplicate_slug: str, reason: str) -> dict[str, int]:
    """Move everything of the provider ``duplicate_slug`` to ``kept``; returns the counts."""
    require_operator(user, "merge providers")
    reason = reason.strip()
    if not reason:
        raise MergeRefused(
            "say why the two records are the same provider", "reason", "reason-required"
        )
    with transaction.atomic():
        kept = Provider.objects.select_for_update().get(pk=kept.pk)
        duplicate = Provider.objects.select_for_update().filter(slug=duplicate_slug).first()
        if duplicate is None:
            raise MergeRefused(f"no provider {duplicate_slug!r}", code="no-duplicate")
        if duplicate.pk == kept.pk:
            raise MergeRefused("a provider cannot be merged into itself", code="same-provider")
        if (
            IssuedCredentialRecord.objects.filter(provider=duplicate).exists()
            or ProviderKey.objects.filter(provider=duplicate).exists()
            or StatusListRecord.objects.filter(provider=duplicate).exists()
        ):
            raise MergeRefused(
                f"{duplicate.slug} has signed credentials under its own DID; they would stop "
                "resolving, so it cannot be merged (see docs/workspace-operator.md)",
                code="duplicate-signed",
                conflict=True,
            )
        clashes = sorted(
            set(Specification.objects.filter(provider=duplicate).values_list("local_id", flat=True))
            & set(Specification.objects.filter(provider=kept).values_list("local_id", flat=True))
        )
        if clashes:
            raise MergeRefused(
                "both have specifications with the local id "
                + ", ".join(clashes)
                + "; rename or withdraw one first",
                code="local-id-clash",
                conflict=True,
            )
        specs = list(Specification.objects.filter(provider=duplicate))
        moved_specs = Specification.objects.filter(provider=duplicate).update(provider=kept)
        results = list(QAResult.objects.filter(providers=duplicate))
        for result in results:
            result.providers.remove(duplicate)
            result.providers.add(kept)
        moved_staff = 0
        for membership in Membership.objects.filter(provider=duplicate):
            if Membership.objects.filter(
                user=membership.user_id, role=membership.role, provider=kept
            ).exists():
                continue
            Membership.objects.create(user=membership.user, role=membership.role, provider=kept)
            moved_staff += 1
        for relation in ProviderRelation.objects.filter(source=duplicate).exclude(target=kept):
            ProviderRelation.objects.get_or_create(
                source=kept,
                target=relation.target,
                kind=relation.kind,
                defaults={"label": relation.label},
            )
        for relation in ProviderRelation.objects.filter(target=duplicate).exclude(source=kept):
            ProviderRelation.objects.get_or_create(
                source=relation.source,
                target=kept,
                kind=relation.kind,
                defaults={"label": relation.label},
            )
        MergedProvider.objects.filter(kept=duplicate).update(kept=kept)
        MergedProvider.objects.create(
            slug=duplicate.slug,
            public_id=duplicate.public_id,
            kept=kept,
            merged_by=user if getattr(user, "is_authenticated", False) else None,
            reason=reason,
        )
        counts = {
            "specifications": moved_specs,
            "qa_results": len(results),
            "memberships": moved_staff,
        }
        record_event(
            user,
            "provider-merged",
            f"provider {duplicate.slug}",
            reason,
            details={
                "provider": kept.slug,
                "merged": duplicate.slug,
                "merged_public_id": duplicate.public_id,
                **counts,
            },
        )
        duplicate.delete()
        _reindex(kept, specs)
    return counts


def _reindex(kept: Provider, specs: list[Specification]) -> None:
    """Once committed: the moved specifications' catalogue entries name the kept provider."""

    def run() -> None:
        try:
            from microcred_web.catalogue import services
        except ImportError:
            return
        services.reindex_provider(kept)
        for spec in specs:
            spec.provider = kept
            services.specification_changed(spec)

    transaction.on_commit(run, robust=True)


def merged_into(slug: str) -> Provider | None:
    """The provider a merged slug now leads to (None when the slug was never merged)."""
    merged = MergedProvider.objects.select_related("kept").filter(slug=slug).first()
    return merged.kept if merged is not None else None
