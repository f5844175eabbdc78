"""Where each QA result stands on a day: current, superseded, expired, not yet valid, withdrawn.

The register's history pages, the agency workspace and the API show every result with its
state, so that a reader sees at once that an older positive decision no longer counts. Which
result supersedes which is the core's rule (:func:`microcred.register.standing.superseded_by`,
``docs/decisions/0019-which-qa-result-stands.md``); this module only gathers, per provider, the
results the rule compares, and maps the answer back to the register's rows.

A result names one or more providers, and supersession is decided per provider (a later
institutional review of one partner of a joint result does not end the other's). A result
is shown as superseded when it is superseded for every provider it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from microcred.register.standing import QAResult as CoreResult
from microcred.register.standing import superseded_by
from microcred_web.register.models import QAResult
from microcred_web.register.services import to_core_result

STATES = ("current", "superseded", "expired", "not-yet-valid", "withdrawn")


@dataclass(frozen=True)
class ResultState:
    state: str  # one of STATES
    superseded_by: QAResult | None = None


def states_for(results: Iterable[QAResult], day: date | None = None) -> dict[int, ResultState]:
    """The state on ``day`` (today by default) of each result, by primary key."""
    day = day or date.today()
    wanted = list(results)
    provider_ids = {p.pk for r in wanted for p in r.providers.all()}
    rows: dict[int, QAResult] = {r.pk: r for r in wanted}
    pools: dict[int, list[int]] = {}
    related = (
        QAResult.objects.filter(providers__in=provider_ids)
        .distinct()
        .select_related("agency")
        .prefetch_related("providers", "covered_specifications")
    )
    for other in related:
        rows.setdefault(other.pk, other)
        for provider in other.providers.all():
            if provider.pk in provider_ids:
                pools.setdefault(provider.pk, []).append(other.pk)
    core = {pk: to_core_result(row) for pk, row in rows.items()}
    return {r.pk: _state(r, core, pools, rows, day) for r in wanted}


def state_of(result: QAResult, day: date | None = None) -> ResultState:
    return states_for([result], day)[result.pk]


def _state(
    result: QAResult,
    core: dict[int, CoreResult],
    pools: dict[int, list[int]],
    rows: dict[int, QAResult],
    day: date,
) -> ResultState:
    if result.withdrawn_at is not None:
        return ResultState("withdrawn")
    mine = core[result.pk]
    by_key = {c.key: pk for pk, c in core.items()}
    later: list[CoreResult] = []
    for provider in result.providers.all():
        pool = [core[pk] for pk in pools.get(provider.pk, [])] or [mine]
        found = superseded_by(mine, pool, day)
        if found is None:
            later = []
            break
        later.append(found)
    if later:
        latest = max(later, key=lambda c: (c.valid_from, c.sequence))
        # An earlier result that had run out before the later one took effect simply expired.
        if result.valid_until is None or result.valid_until >= latest.valid_from:
            return ResultState("superseded", rows[by_key[latest.key]])
    if day < result.valid_from:
        return ResultState("not-yet-valid")
    if result.valid_until is not None and day > result.valid_until:
        return ResultState("expired")
    return ResultState("current")
