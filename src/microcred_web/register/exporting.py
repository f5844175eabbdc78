"""Open data: the public register and catalogue as JSON and CSV, and the published
specifications as Open Badges 3.0 ``Achievement`` JSON-LD.

The public shapes here are also what the API's read endpoints return, so "what is public" is
decided in one place. They are built field by field from an allow-list, never by dumping a
model: nothing about users, memberships or tokens can leak by a new column being added.

CSV files use the same column names as bulk import (``docs/import-export.md``), so an export
can be edited in a spreadsheet and imported again; the read-only columns (``public_id``, the
QA standing) are ignored on import.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from microcred.register.standing import Standing
from microcred.standard.csv_safety import escape_cell
from microcred.standard.model import LangMap, MicroCredentialSpec
from microcred.standard.vocab import vocabulary
from microcred_web.register.models import Agency, Provider, QAResult, Specification
from microcred_web.register.qa_states import ResultState, state_of, states_for
from microcred_web.register.services import provider_standing

OBV3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
EQF_URI = "http://data.europa.eu/snb/eqf/{}"
LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"
WHATS = ("register", "catalogue", "achievements")
FORMATS = {"register": ("json", "csv"), "catalogue": ("json", "csv"), "achievements": ("jsonld",)}


def base_url() -> str:
    """Where this instance is served, for the URLs in exports (no trailing slash)."""
    url = getattr(settings, "MICROCRED_BASE_URL", "") or os.environ.get("MICROCRED_BASE_URL", "")
    return (url or "http://localhost:8000").rstrip("/")


def _text(names: LangMap | None, lang: str = "en") -> str:
    if not names:
        return ""
    return names.get(lang) or names.get("en") or next(iter(names.values()), "")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- public shapes --------------------------------------------------------------------------


def standing_dict(standing: Standing) -> dict[str, Any]:
    basis = standing.basis
    return {
        "quality_assured": standing.quality_assured,
        "grade": standing.grade.name.lower(),
        "status": standing.status,
        "reason": standing.reason,
        "basis": None
        if basis is None
        else {
            "agency": basis.agency.name,
            "activity": basis.activity,
            "decision": basis.decision,
            "valid_from": _day(basis.valid_from),
            "valid_until": _day(basis.valid_until),
            "report_url": basis.report_url,
        },
    }


def provider_dict(provider: Provider, *, standing: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "public_id": provider.public_id,
        "slug": provider.slug,
        "legal_name": provider.legal_name,
        "display_name": provider.display_name,
        "kind": provider.kind,
        "country": provider.country,
        "city": provider.city,
        "website": provider.website,
        "national_id": provider.national_id,
        "erasmus_code": provider.erasmus_code,
        "schac": provider.schac,
        "deqar_id": provider.deqar_id,
        "eidas_id": provider.eidas_id,
        "relations": [
            {"kind": r.kind, "target": r.target.slug, "label": r.label}
            for r in provider.relations.select_related("target").order_by("kind", "target__slug")
        ],
    }
    if standing:
        out["qa_standing"] = standing_dict(provider_standing(provider))
    return out


def agency_dict(agency: Agency) -> dict[str, Any]:
    return {
        "public_id": agency.public_id,
        "slug": agency.slug,
        "name": agency.name,
        "acronym": agency.acronym,
        "countries": agency.countries,
        "website": agency.website,
        "eqar_registered_since": _day(agency.eqar_registered_since),
        "eqar_registered_until": _day(agency.eqar_registered_until),
        "activities": agency.activities,
    }


def qa_result_dict(result: QAResult, state: ResultState | None = None) -> dict[str, Any]:
    """A QA result with where it stands today (``state``; read-only, ignored on import)."""
    state = state or state_of(result)
    return {
        "public_id": result.public_id,
        "agency": result.agency.slug,
        "local_id": result.local_id,
        "activity": result.activity,
        "providers": sorted(p.slug for p in result.providers.all()),
        "decision": result.decision,
        "status": result.status,
        "valid_from": _day(result.valid_from),
        "valid_until": _day(result.valid_until),
        "report_url": result.report_url,
        "decision_url": result.decision_url,
        "covers_microcredentials": result.covers_microcredentials,
        "covered_specifications": sorted(s.public_id for s in result.covered_specifications.all()),
        "state": state.state,
        "superseded_by": state.superseded_by.public_id if state.superseded_by else None,
        "withdrawn_at": result.withdrawn_at.isoformat() if result.withdrawn_at else None,
        "withdrawn_reason": result.withdrawn_reason,
    }


def specification_url(spec: Specification, base: str | None = None) -> str:
    return f"{base or base_url()}/catalogue/specifications/{spec.public_id}/"


def specification_dict(spec: Specification, *, base: str | None = None) -> dict[str, Any]:
    return {
        "public_id": spec.public_id,
        "url": specification_url(spec, base),
        "provider": spec.provider.slug,
        "local_id": spec.local_id,
        "status": spec.status,
        "in_catalogue": spec.in_catalogue,
        "version": spec.version,
        "updated": spec.updated.isoformat(),
        "findings": spec.findings,
        "specification": spec.data,
    }


def published_specifications() -> Any:
    return (
        Specification.objects.filter(status=Specification.Status.PUBLISHED, has_errors=False)
        .select_related("provider")
        .order_by("provider__slug", "local_id")
    )


def _providers() -> Any:
    return Provider.objects.order_by("slug").prefetch_related("relations__target")


def _results() -> Any:
    return (
        QAResult.objects.select_related("agency")
        .prefetch_related("providers", "covered_specifications")
        .order_by("agency__slug", "local_id", "public_id")
    )


def _results_with_states() -> list[dict[str, Any]]:
    results = list(_results())
    states = states_for(results)
    return [qa_result_dict(r, states[r.pk]) for r in results]


# --- whole documents ------------------------------------------------------------------------


def _header(what: str) -> dict[str, Any]:
    return {"dataset": what, "generated": date.today().isoformat(), "licence": LICENCE}


def register_document() -> dict[str, Any]:
    return {
        **_header("register"),
        "providers": [provider_dict(p) for p in _providers()],
        "agencies": [agency_dict(a) for a in Agency.objects.order_by("slug")],
        "qa_results": _results_with_states(),
    }


def catalogue_document(base: str | None = None) -> dict[str, Any]:
    base = base or base_url()
    return {
        **_header("catalogue"),
        "catalogue": [specification_dict(s, base=base) for s in published_specifications()],
    }


# --- CSV ------------------------------------------------------------------------------------


def _langs(rows: Iterable[dict[str, Any]], name: str) -> list[str]:
    return sorted({tag for row in rows for tag in (row.get(name) or {})})


def _flatten(row: dict[str, Any], langmaps: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in row.items():
        if key in langmaps:
            for tag in langmaps[key]:
                out[f"{key}@{tag}"] = (value or {}).get(tag, "")
        elif key == "relations":
            out[key] = ";".join(f"{r['kind']}:{r['target']}:{r['label']}" for r in value)
        elif key == "qa_standing":
            out["quality_assured"] = "true" if value["quality_assured"] else "false"
            out["qa_standing"] = value["reason"]
        elif isinstance(value, list):
            out[key] = ";".join(str(v) for v in value)
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, float) and value.is_integer():
            out[key] = str(int(value))  # 5 ECTS, not 5.0
        else:
            out[key] = "" if value is None else str(value)
    return out


def table_csv(rows: list[dict[str, Any]], langmap_fields: Iterable[str] = ()) -> str:
    """One table as CSV text; multilingual fields become one ``name@lang`` column each.

    A cell a spreadsheet would run as a formula gets a leading ``'`` (see
    :mod:`microcred.standard.csv_safety`); import removes it, so the round trip is lossless.
    """
    langmaps = {name: _langs(rows, name) for name in langmap_fields}
    flat = [
        {column: escape_cell(cell) for column, cell in _flatten(row, langmaps).items()}
        for row in rows
    ]
    columns: list[str] = []
    for row in flat:
        columns += [c for c in row if c not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return buffer.getvalue()


def register_tables() -> dict[str, str]:
    """File name -> CSV text for the register (providers, agencies, QA results)."""
    providers = [provider_dict(p) for p in _providers()]
    agencies = [agency_dict(a) for a in Agency.objects.order_by("slug")]
    return {
        "providers.csv": table_csv(providers, ("legal_name", "display_name")),
        "agencies.csv": table_csv(agencies, ("name",)),
        "qa-results.csv": table_csv(_results_with_states()),
    }


def catalogue_tables(base: str | None = None) -> dict[str, str]:
    """An index of the catalogue, plus one importable Annex I CSV file per provider."""
    from microcred.standard.csv_format import write_csv

    base = base or base_url()
    index: list[dict[str, Any]] = []
    per_provider: dict[str, list[MicroCredentialSpec]] = {}
    for spec in published_specifications():
        data = spec.data
        index.append(
            {
                "public_id": spec.public_id,
                "provider": spec.provider.slug,
                "local_id": spec.local_id,
                "title": _text(data.get("title")),
                "ects": (data.get("workload") or {}).get("ects"),
                "eqf": (data.get("level") or {}).get("eqf"),
                "fields_of_study": data.get("fields_of_study", []),
                "languages": data.get("languages", []),
                "participation_mode": (data.get("participation") or {}).get("mode"),
                "version": spec.version,
                "updated": spec.updated.date().isoformat(),
                "url": specification_url(spec, base),
            }
        )
        per_provider.setdefault(spec.provider.slug, []).append(
            MicroCredentialSpec.model_validate(data)
        )
    files = {"catalogue.csv": table_csv(index)}
    for slug, specs in per_provider.items():
        buffer = io.StringIO()
        write_csv(specs, buffer)
        files[f"specifications/{slug}.csv"] = buffer.getvalue()
    return files


# --- Open Badges 3.0 ------------------------------------------------------------------------


def achievement(spec: Specification, base: str | None = None) -> dict[str, Any]:
    """The specification as an OBv3 ``Achievement`` (1EdTech OB 3.0, section B.1.1).

    Elements OBv3 has no field for (assessment, participation, QA) stay in the catalogue
    JSON; the EQF level is carried as an alignment to the EQF URI, which OBv3 readers show.
    """
    base = base or base_url()
    data = spec.data
    url = specification_url(spec, base)
    name = _text(data.get("title")) or spec.local_id
    outcomes = [_text(o.get("text")) for o in data.get("learning_outcomes", [])]
    out: dict[str, Any] = {
        "@context": [VC_CONTEXT, OBV3_CONTEXT],
        "id": url,
        "type": ["Achievement"],
        "name": name,
        "description": _text(data.get("description")) or name,
        "criteria": {
            "id": url,
            "narrative": "\n".join(f"- {text}" for text in outcomes if text) or name,
        },
        "achievementType": "MicroCredential",
        "humanCode": spec.local_id,
        "version": str(spec.version),
        "creator": _profile(spec.provider, base),
    }
    ects = (data.get("workload") or {}).get("ects")
    if isinstance(ects, int | float):
        out["creditsAvailable"] = float(ects)
    isced = vocabulary("isced-f")
    fields = [t.label for code in data.get("fields_of_study", []) if (t := isced.get(code))]
    if fields:
        out["fieldOfStudy"] = ", ".join(fields)
    languages = data.get("languages", [])
    if languages:
        out["inLanguage"] = languages[0]
    alignment = _alignments(data)
    if alignment:
        out["alignment"] = alignment
    if data.get("grade_scheme"):
        out["resultDescription"] = [
            {
                "id": f"{url}#grade",
                "type": ["ResultDescription"],
                "name": _text(data["grade_scheme"]),
                "resultType": "Result",
            }
        ]
    return out


def _profile(provider: Provider, base: str) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "id": f"{base}/providers/{provider.slug}/",
        "type": ["Profile"],
        "name": provider.name(),
    }
    if provider.website:
        profile["url"] = provider.website
    return profile


def _alignments(data: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for outcome in data.get("learning_outcomes", []):
        text = _text(outcome.get("text"))
        for uri in [outcome.get("esco_skill"), *outcome.get("related_skills", [])]:
            if uri and uri not in seen:
                seen.add(uri)
                framework = "ESCO" if "data.europa.eu/esco/" in uri else None
                item = {"type": ["Alignment"], "targetName": text or uri, "targetUrl": uri}
                if framework:
                    item |= {"targetFramework": framework, "targetType": "ceasn:Competency"}
                out.append(item)
    eqf = (data.get("level") or {}).get("eqf")
    if isinstance(eqf, int):
        out.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {eqf}",
                "targetUrl": EQF_URI.format(eqf),
                "targetFramework": "European Qualifications Framework",
                "targetCode": str(eqf),
            }
        )
    return out


def achievements(base: str | None = None) -> Iterator[dict[str, Any]]:
    base = base or base_url()
    for spec in published_specifications():
        yield achievement(spec, base)


# --- writing files --------------------------------------------------------------------------


def write_export(what: str, fmt: str, out: Path, base: str | None = None) -> list[Path]:
    """Write one export; JSON goes to the file ``out``, CSV to files in the folder ``out``.

    Returns the files written. CSV is several tables (one file each), which is why it needs a
    folder; a single JSON document holds everything.
    """
    if what not in WHATS:
        raise ValueError(f"unknown export {what!r}; known: {', '.join(WHATS)}")
    if fmt == "json" and what == "achievements":
        fmt = "jsonld"
    if fmt not in FORMATS[what]:
        raise ValueError(f"{what} is exported as {' or '.join(FORMATS[what])}, not {fmt}")
    if fmt == "csv":
        tables = register_tables() if what == "register" else catalogue_tables(base)
        written = []
        for name, text in tables.items():
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written
    document: Any
    if what == "register":
        document = register_document()
    elif what == "catalogue":
        document = catalogue_document(base)
    else:
        document = list(achievements(base))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [out]
