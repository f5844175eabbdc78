"""Validation of specifications and issued credentials against Annex I.

Validation never stops at the first problem: a submitter wants the whole list at once, so each
check adds findings to one :class:`~microcred.standard.findings.Report`. Raw input (a parsed
JSON object, a CSV row) goes through :func:`parse_spec`, which turns pydantic's type errors into
findings too and still validates what remains of the record.

The rules rest on the facts in Annex I of the Council Recommendation 2022/C 243/02 and on
the ECTS Users' Guide (1 ECTS = 25-30 hours of notional learning).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from microcred.standard.findings import Report
from microcred.standard.model import IssuedCredential, LangMap, MicroCredentialSpec
from microcred.standard.vocab import vocabulary

#: Notional learning hours per ECTS credit (ECTS Users' Guide 2015).
HOURS_PER_ECTS = (25.0, 30.0)
#: At or above this, a programme is no longer a micro-credential (DEQAR, Annex I practice).
MICRO_ECTS_LIMIT = 60.0

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
#: Guard for the retry loop in parse_spec: each round removes at least one bad element.
_MAX_PARSE_ROUNDS = 50


def parse_spec(data: object) -> tuple[MicroCredentialSpec | None, Report]:
    """Build a specification from raw data and validate it, reporting every problem.

    Elements with the wrong type or unknown names are reported and left out, so the rest of the
    record is still checked. The specification is None only when the input is not an object.
    """
    report = Report()
    if not isinstance(data, Mapping):
        report.add(
            "invalid-value",
            "",
            f"a specification must be a JSON object, not {_json_type(data)}",
        )
        return None, report
    spec = _parse_leniently(MicroCredentialSpec, dict(data), report, prefix="")
    if spec is None:  # pragma: no cover - top level always parses once bad parts are removed
        return None, report
    report.extend(validate_spec(spec))
    return spec, report


def parse_credential(data: object) -> tuple[IssuedCredential | None, Report]:
    """Like :func:`parse_spec`, for an issued credential (learner, date, grade, specification)."""
    report = Report()
    if not isinstance(data, Mapping):
        report.add(
            "invalid-value", "", f"a credential must be a JSON object, not {_json_type(data)}"
        )
        return None, report
    cred = _parse_leniently(IssuedCredential, dict(data), report, prefix="")
    if cred is None:  # pragma: no cover
        return None, report
    report.extend(validate_credential(cred))
    return cred, report


def validate_credential(cred: IssuedCredential) -> Report:
    """Check the credential-side Annex I elements, then the specification it carries."""
    report = Report()
    learner = cred.learner
    if not (learner.name or learner.given_name or learner.family_name or learner.identifier):
        report.add(
            "missing-element",
            "learner",
            "identification of the learner is mandatory (Annex I): give a name or an identifier",
        )
    if cred.issued_on is None:
        report.add("missing-element", "issued_on", "date of issuing is mandatory (Annex I)")
    if cred.grade is not None:
        _check_text(report, "grade", cred.grade)
    for finding in validate_spec(cred.specification):
        prefixed = f"specification.{finding.path}" if finding.path else "specification"
        report.add(finding.code, prefixed, finding.message, finding.suggestions)
    return report


def validate_spec(spec: MicroCredentialSpec) -> Report:
    """Check one specification against Annex I and the controlled vocabularies."""
    report = Report()
    _check_mandatory(report, spec)
    _check_texts(report, spec)
    _check_codes(report, spec)
    _check_level(report, spec)
    _check_workload(report, spec)
    _check_outcomes(report, spec)
    _check_uris(report, spec)
    return report


# --- mandatory elements -------------------------------------------------------------------


def _check_mandatory(report: Report, spec: MicroCredentialSpec) -> None:
    def missing(path: str, element: str) -> None:
        report.add("missing-element", path, f"{element} is mandatory (Annex I)")

    if not _has_text(spec.title):
        missing("title", "the title")
    if not spec.issuer_countries:
        missing("issuer_countries", "the country(ies)/region(s) of the issuer")
    if not spec.awarding_bodies:
        missing("awarding_bodies", "the awarding body(ies)")
    for i, body in enumerate(spec.awarding_bodies):
        if not _has_text(body.name):
            missing(f"awarding_bodies[{i}].name", "the name of each awarding body")
    if not spec.learning_outcomes:
        missing("learning_outcomes", "learning outcomes")
    workload = spec.workload
    if workload is None or (workload.ects is None and workload.hours is None):
        missing("workload", "the notional workload (ECTS wherever possible, or hours)")
    assessment = spec.assessment
    if assessment is None or not (
        assessment.types or _has_text(assessment.title) or _has_text(assessment.description)
    ):
        missing("assessment", "the type of assessment")
    if spec.participation is None or not spec.participation.mode:
        missing("participation.mode", "the form of participation in the learning activity")
    if not spec.quality_assurance:
        missing("quality_assurance", "the type of quality assurance")
    for i, qa in enumerate(spec.quality_assurance):
        if not qa.type:
            missing(f"quality_assurance[{i}].type", "the type of each quality assurance")
    level = spec.level
    if level is None or (level.eqf is None and level.qf_ehea is None and not level.national):
        report.add(
            "missing-level",
            "level",
            "no EQF level, QF-EHEA cycle or national level: Annex I asks for it where applicable",
        )


# --- multilingual text --------------------------------------------------------------------


def _check_texts(report: Report, spec: MicroCredentialSpec) -> None:
    texts: list[tuple[str, LangMap | None]] = [
        ("title", spec.title),
        ("description", spec.description),
        ("prerequisites", spec.prerequisites),
        ("grade_scheme", spec.grade_scheme),
        ("further_information", spec.further_information),
    ]
    texts += [(f"awarding_bodies[{i}].name", b.name) for i, b in enumerate(spec.awarding_bodies)]
    texts += [
        (f"learning_outcomes[{i}].text", o.text) for i, o in enumerate(spec.learning_outcomes)
    ]
    if spec.level is not None:
        texts.append(("level.national", spec.level.national))
    if spec.assessment is not None:
        texts.append(("assessment.title", spec.assessment.title))
        texts.append(("assessment.description", spec.assessment.description))
    if spec.stackability is not None:
        texts.append(("stackability.towards", spec.stackability.towards))
    texts += [
        (f"quality_assurance[{i}].description", q.description)
        for i, q in enumerate(spec.quality_assurance)
    ]
    for path, text in texts:
        if not text:  # absent or {}: the mandatory-element check speaks for it
            continue
        if path.startswith("learning_outcomes"):  # empty outcomes have their own code
            _check_language_tags(report, path, text)
        else:
            _check_text(report, path, text)
    if spec.title and _has_text(spec.title) and not any(_is_english(t) for t in spec.title):
        report.add(
            "no-english",
            "title",
            "the title has no English version; visitors without its languages will see "
            f"{next(iter(spec.title))!r}",
        )


def _check_text(report: Report, path: str, text: LangMap) -> None:
    _check_language_tags(report, path, text)
    if not _has_text(text):
        report.add("empty-text", path, f"{path} is given but holds no text in any language")


def _check_language_tags(report: Report, path: str, text: LangMap) -> None:
    for tag in text:
        if not _LANGUAGE_TAG.match(tag):
            report.add(
                "invalid-language-tag",
                f"{path}.{tag}" if tag else path,
                f"{tag!r} is not a BCP 47 language tag (for example 'en', 'fr', 'pt-BR')",
            )


# --- controlled vocabularies --------------------------------------------------------------


def _check_codes(report: Report, spec: MicroCredentialSpec) -> None:
    _check_list(report, "issuer_countries", spec.issuer_countries, "countries", upper=True)
    _check_list(report, "fields_of_study", spec.fields_of_study, "isced-f")
    languages = [tag.split("-")[0].lower() for tag in spec.languages]
    _check_list(report, "languages", languages, "languages", originals=spec.languages)
    for i, body in enumerate(spec.awarding_bodies):
        if body.country is not None:
            _check_code(report, f"awarding_bodies[{i}].country", body.country.upper(), "countries")
    if spec.assessment is not None:
        _check_list(report, "assessment.types", spec.assessment.types, "assessment-types")
    if spec.participation is not None and spec.participation.mode:
        _check_code(report, "participation.mode", spec.participation.mode, "participation-modes")
    for i, qa in enumerate(spec.quality_assurance):
        if qa.type:
            _check_code(report, f"quality_assurance[{i}].type", qa.type, "qa-types")
    if spec.supervision is not None:
        _check_code(report, "supervision", spec.supervision, "supervision")
    if spec.stackability is not None and spec.stackability.option is not None:
        _check_code(report, "stackability.option", spec.stackability.option, "stackability")


def _check_list(
    report: Report,
    path: str,
    values: list[str],
    vocab_name: str,
    *,
    upper: bool = False,
    originals: list[str] | None = None,
) -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        code = value.upper() if upper else value
        shown = originals[i] if originals is not None else value
        if code in seen:
            report.add("duplicate-value", f"{path}[{i}]", f"{shown!r} is listed twice")
        seen.add(code)
        _check_code(report, f"{path}[{i}]", code, vocab_name, shown=shown)


def _check_code(
    report: Report, path: str, code: str, vocab_name: str, *, shown: str | None = None
) -> None:
    vocab = vocabulary(vocab_name)
    if code in vocab:
        return
    suggestions = vocab.suggest(code)
    hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    report.add(
        "unknown-code",
        path,
        f"{shown if shown is not None else code!r} is not a code of {vocab_name} "
        f"({vocab.source}){hint}",
        suggestions,
    )


# --- level --------------------------------------------------------------------------------


def _check_level(report: Report, spec: MicroCredentialSpec) -> None:
    level = spec.level
    if level is None:
        return
    if level.eqf is not None:
        _check_code(report, "level.eqf", str(level.eqf), "eqf")
    if level.qf_ehea is not None:
        _check_code(report, "level.qf_ehea", level.qf_ehea, "qf-ehea")
    if level.eqf is None or level.qf_ehea is None:
        return
    cycle = vocabulary("qf-ehea").get(level.qf_ehea)
    if cycle is None:
        return
    expected = cycle.extra.get("eqf")
    if expected is not None and expected != level.eqf:
        report.add(
            "level-cycle-mismatch",
            "level",
            f"EQF level {level.eqf} contradicts the QF-EHEA {cycle.label.lower()}, "
            f"which corresponds to EQF level {expected}",
        )


# --- workload -----------------------------------------------------------------------------


def _check_workload(report: Report, spec: MicroCredentialSpec) -> None:
    workload = spec.workload
    if workload is None:
        return
    valid: dict[str, float] = {}
    for name, value in (("ects", workload.ects), ("hours", workload.hours)):
        if value is None:
            continue
        path = f"workload.{name}"
        if not math.isfinite(value):
            report.add("invalid-value", path, f"{name} must be a finite number, not {value}")
        elif value <= 0:
            report.add("workload-not-positive", path, f"{name} must be above zero, not {value:g}")
        else:
            valid[name] = value
    ects = valid.get("ects")
    if ects is not None and ects >= MICRO_ECTS_LIMIT:
        report.add(
            "workload-not-micro",
            "workload.ects",
            f"{ects:g} ECTS is at or above {MICRO_ECTS_LIMIT:g}: outside the micro-credential "
            "range (the usual range is 1-59 ECTS)",
        )
    hours = valid.get("hours")
    if ects is not None and hours is not None:
        low, high = HOURS_PER_ECTS
        if not low * ects <= hours <= high * ects:
            report.add(
                "workload-hours-mismatch",
                "workload",
                f"{hours:g} hours for {ects:g} ECTS is {hours / ects:.1f} hours per ECTS; "
                f"1 ECTS is {low:g}-{high:g} hours ({low * ects:g}-{high * ects:g} hours)",
            )


# --- learning outcomes and URIs -----------------------------------------------------------


def _check_outcomes(report: Report, spec: MicroCredentialSpec) -> None:
    for i, outcome in enumerate(spec.learning_outcomes):
        path = f"learning_outcomes[{i}]"
        if not _has_text(outcome.text):
            report.add("empty-outcome", f"{path}.text", f"learning outcome {i + 1} has no text")


def _check_uris(report: Report, spec: MicroCredentialSpec) -> None:
    uris: list[tuple[str, str | None]] = [("url", spec.url)]
    for i, body in enumerate(spec.awarding_bodies):
        uris += [(f"awarding_bodies[{i}].id", body.id)]
        uris += [(f"awarding_bodies[{i}].homepage", body.homepage)]
    for i, outcome in enumerate(spec.learning_outcomes):
        uris.append((f"learning_outcomes[{i}].esco_skill", outcome.esco_skill))
        uris += [
            (f"learning_outcomes[{i}].related_skills[{j}]", uri)
            for j, uri in enumerate(outcome.related_skills)
        ]
    uris += [
        (f"quality_assurance[{i}].report_url", q.report_url)
        for i, q in enumerate(spec.quality_assurance)
    ]
    if spec.level is not None:
        uris.append(("level.national_uri", spec.level.national_uri))
    for path, uri in uris:
        if uri is not None and not _ABSOLUTE_URI.match(uri):
            report.add("invalid-uri", path, f"{uri!r} is not an absolute URI")


# --- raw input ----------------------------------------------------------------------------


def _parse_leniently(
    model: type[MicroCredentialSpec] | type[IssuedCredential],
    data: dict[str, Any],
    report: Report,
    prefix: str,
) -> Any:
    """Validate ``data``; on errors, report them, drop the elements at fault and try again.

    Dropping the faulty element (not the record) lets validation go on to report the missing
    or wrong elements elsewhere in one pass, which is what a person fixing a file needs.
    """
    work = copy.deepcopy(data)
    for _ in range(_MAX_PARSE_ROUNDS):
        try:
            return model.model_validate(work)
        except ValidationError as exc:
            # Later list positions first, so that deleting one does not shift the others.
            errors = sorted(exc.errors(), key=lambda e: _loc_key(e["loc"]), reverse=True)
            for error in errors:
                loc = tuple(error["loc"])
                path = prefix + _loc_to_path(loc)
                if error["type"] == "extra_forbidden":
                    report.add("unknown-element", path, f"{path!r} is not an element of the model")
                else:
                    report.add(
                        "invalid-value",
                        path,
                        f"{path or 'the record'}: {error['msg']} "
                        f"(got {_json_type(error.get('input'))})",
                    )
                _drop(work, loc)
    report.add("invalid-value", prefix, "too many malformed elements to read this record")
    return None


def _loc_key(loc: Iterable[int | str]) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in loc)


def _drop(data: Any, loc: tuple[int | str, ...]) -> None:
    """Remove the element at ``loc`` (or its nearest existing ancestor) from nested data."""
    if not loc:
        return
    parent = data
    for key in loc[:-1]:
        try:
            child = parent[key]
        except (KeyError, IndexError, TypeError):
            return
        if not isinstance(child, dict | list):
            _remove(parent, key)
            return
        parent = child
    _remove(parent, loc[-1])


def _remove(container: Any, key: int | str) -> None:
    if isinstance(container, dict):
        container.pop(key, None)
    elif isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
        del container[key]


def _loc_to_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _has_text(text: LangMap | None) -> bool:
    return bool(text) and any(isinstance(v, str) and v.strip() for v in (text or {}).values())


def _is_english(tag: str) -> bool:
    return tag.lower() == "en" or tag.lower().startswith("en-")
