"""The Annex I elements read from a specification node, one function per element.

Each reads what ELM says about one element and appends what the vocabularies cannot map to
``notes``, which end up in ``further_information``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from microcred.standard.elm.concepts import concept_code, concept_codes
from microcred.standard.elm.nodes import (
    UNDETERMINED,
    Node,
    as_float,
    as_nodes,
    concept_label,
    dedup,
    duration_hours,
    first_node,
    http_urls,
    lang_map,
    merge,
    note,
    number_text,
    pick,
    prefixed,
    string,
)
from microcred.standard.model import (
    Assessment,
    LangMap,
    LearningOutcome,
    Level,
    Participation,
    Stackability,
    Workload,
)
from microcred.standard.vocab import vocabulary

#: The Europass "education-credit" concept for ECTS.
ECTS_FRAMEWORK = "http://data.europa.eu/snb/education-credit/6fcec5c5af"


def learning_outcomes(spec: Node, notes: list[LangMap]) -> list[LearningOutcome]:
    outcomes = []
    for lo in as_nodes(spec.get("learningOutcome")):
        esco = [u for c in as_nodes(lo.get("relatedESCOSkill")) if (u := string(c.get("id")))]
        other = [u for c in as_nodes(lo.get("relatedSkill")) if (u := string(c.get("id")))]
        outcomes.append(
            LearningOutcome(
                text=lang_map(lo.get("title")) or lang_map(lo.get("description")),
                esco_skill=esco[0] if esco else None,
                related_skills=dedup(esco[1:] + other),
            )
        )
    summary = note(spec.get("learningOutcomeSummary"))
    if summary and not outcomes:
        outcomes.append(LearningOutcome(text=summary))
    elif summary:
        notes.append(prefixed("Learning outcomes summary", summary))
    return outcomes


def workload(spec: Node, notes: list[LangMap]) -> Workload | None:
    ects: float | None = None
    for credit in as_nodes(spec.get("creditPoint")):
        framework = first_node(credit.get("framework")) or {}
        point = string(credit.get("point")) or number_text(credit.get("point"))
        is_ects = framework.get("id") == ECTS_FRAMEWORK or any(
            "ects" in label.casefold() or "european credit transfer" in label.casefold()
            for label in lang_map(framework.get("prefLabel")).values()
        )
        value = as_float(point)
        if is_ects and value is not None and ects is None:
            ects = value
        elif point:
            name = pick(concept_label(framework)) if framework else "no framework"
            notes.append({UNDETERMINED: f"Credit points: {point} ({name})"})
    hours = None
    volume = string(spec.get("volumeOfLearning"))
    if volume:
        hours = duration_hours(volume)
        if hours is None:
            notes.append({UNDETERMINED: f"Volume of learning: {volume}"})
    return Workload(ects=ects, hours=hours) if ects is not None or hours is not None else None


def level(spec: Node, notes: list[LangMap]) -> Level | None:
    eqf: int | None = None
    for concept in as_nodes(spec.get("eqfLevel")):
        code = concept_code("eqf", concept)
        match = re.search(r"/eqf/(\d+)$", string(concept.get("id")) or "")
        if code is None and match:
            code = match.group(1)
        if code is not None and code.isdigit() and eqf is None:
            eqf = int(code)
        else:
            notes.append(prefixed("EQF level", concept_label(concept)))
    nqf = as_nodes(spec.get("nqfLevel"))
    for extra in nqf[1:]:
        notes.append(prefixed("National qualification level", concept_label(extra)))
    qf_ehea = next(
        (
            c
            for n in nqf + as_nodes(spec.get("educationLevel"))
            if (c := concept_code("qf-ehea", n))
        ),
        None,
    )
    national = (lang_map(nqf[0].get("prefLabel")) or None) if nqf else None
    national_uri = string(nqf[0].get("id")) if nqf else None
    if eqf is None and qf_ehea is None and national is None and national_uri is None:
        return None
    return Level(eqf=eqf, qf_ehea=qf_ehea, national=national, national_uri=national_uri)


def assessment(assessments: list[Node], specs: list[Node]) -> Assessment | None:
    types: list[str] = []
    unmapped: list[LangMap] = []
    for node in specs + assessments:
        for concept in as_nodes(node.get("dcType")):
            code = concept_code("assessment-types", concept)
            if code is not None:
                types.append(code)
            else:
                unmapped.append(concept_label(concept))
    title = merge([lang_map(s.get("title")) for s in specs], "; ") or merge(
        [lang_map(a.get("title")) for a in assessments], "; "
    )
    description = merge([lang_map(s.get("description")) for s in specs], "\n") or merge(
        [lang_map(a.get("description")) for a in assessments], "\n"
    )
    title = merge([title, *unmapped], "; ")
    if not (types or title or description):
        return None
    return Assessment(types=dedup(types), title=title or None, description=description or None)


def supervision(assessments: list[Node], specs: list[Node], notes: list[LangMap]) -> str | None:
    modes = {
        c
        for s in specs
        for m in as_nodes(s.get("mode"))
        if (c := concept_code("participation-modes", m))
    }
    for concept in (c for a in assessments for c in as_nodes(a.get("idVerification"))):
        code = concept_code("supervision", concept)
        if code in ("supervised-online-id", "supervised-onsite-id") and modes == {"onsite"}:
            return "supervised-onsite-id"
        if code in ("supervised-online-id", "supervised-onsite-id") and modes == {"online"}:
            return "supervised-online-id"
        if code is not None:
            return code
        notes.append(prefixed("Supervision and identity verification", concept_label(concept)))
    return None


def participation(spec: Node, claim: Node, notes: list[LangMap]) -> Participation | None:
    activities = as_nodes(spec.get("influencedBy")) + [
        s for a in as_nodes(claim.get("influencedBy")) for s in as_nodes(a.get("specifiedBy"))
    ]
    codes: set[str] = set()
    for source in ([spec], activities):
        for concept in (c for node in source for c in as_nodes(node.get("mode"))):
            code = concept_code("participation-modes", concept)
            if code is not None:
                codes.add(code)
            elif source is not activities:
                notes.append(prefixed("Form of participation", concept_label(concept)))
        if codes:
            break
    if not codes:
        return None
    mode = "blended" if "blended" in codes or len(codes) > 1 else next(iter(codes))
    return Participation(mode=mode)


def grade_scheme(nodes: Iterable[Node]) -> LangMap | None:
    parts = []
    for scheme in (s for n in nodes for s in as_nodes(n.get("gradingScheme"))):
        title, description = lang_map(scheme.get("title")), lang_map(scheme.get("description"))
        joined = {
            lang: ": ".join(t for t in (title.get(lang), description.get(lang)) if t)
            for lang in dedup([*title, *description])
        }
        parts.append(joined)
    return merge(parts, "\n") or None


def stackability(spec: Node) -> Stackability | None:
    partial = spec.get("isPartialQualification")
    towards = merge(
        [lang_map(p.get("title")) or concept_label(p) for p in as_nodes(spec.get("isPartOf"))], "; "
    )
    if partial is True or towards:
        return Stackability(option="stackable", towards=towards or None)
    if partial is False:
        return Stackability(option="standalone")
    return None


def fields_of_study(spec: Node, notes: list[LangMap]) -> list[str]:
    fields = concept_codes("isced-f", spec.get("thematicArea"), "Field of study", notes)
    isced = vocabulary("isced-f")
    for subject in as_nodes(spec.get("educationSubject")):
        term = isced.by_uri(string(subject.get("id")) or "")
        if term is not None:
            fields.append(term.code)
    return dedup(fields)


def learning_setting(spec: Node) -> str | None:
    concept = first_node(spec.get("learningSetting"))
    if concept is None:
        return None
    label = pick(lang_map(concept.get("prefLabel")) or concept_label(concept)) or ""
    label = label.strip().casefold()
    return label.removesuffix(" learning").strip() or None


def further_information(spec: Node, notes: list[LangMap]) -> LangMap | None:
    parts = [note(spec.get("additionalNote"))]
    urls = http_urls(spec.get("supplementaryDocument"))
    parts += [{UNDETERMINED: f"Supplementary document: {url}"} for url in urls]
    return merge(parts + notes, "\n") or None
