"""One claim of an ELM credential read into a :class:`MicroCredentialSpec`.

It gathers the organisations, the elements and the notes of what could not be mapped in one place.
"""

from __future__ import annotations

from microcred.standard.elm.concepts import concept_codes
from microcred.standard.elm.elements import (
    assessment,
    fields_of_study,
    further_information,
    grade_scheme,
    learning_outcomes,
    learning_setting,
    level,
    participation,
    stackability,
    supervision,
    workload,
)
from microcred.standard.elm.nodes import (
    UNDETERMINED,
    Node,
    as_nodes,
    dedup,
    first_node,
    http_urls,
    lang_map,
    note,
    prefixed,
    string,
    unique,
)
from microcred.standard.elm.organisations import awarding_body, place, quality_assurance
from microcred.standard.model import LangMap, MicroCredentialSpec


def specification(claim: Node, issuer: Node | None, evidence: list[Node]) -> MicroCredentialSpec:
    spec = first_node(claim.get("specifiedBy")) or {}
    notes: list[LangMap] = []
    orgs = [b for a in as_nodes(claim.get("awardedBy")) for b in as_nodes(a.get("awardingBody"))]
    bodies = [awarding_body(org) for org in orgs]
    # The awarding bodies are the provider Annex I means; EDC's ``issuer`` is whoever seals the
    # credential (on sealing, the official sample gains the seal's Spanish address).
    countries: list[str] = []
    regions: list[str] = []
    unmapped: list[LangMap] = []
    for org in orgs or ([issuer] if issuer else []):
        codes, places, labels = place(org)
        countries, regions, unmapped = countries + codes, regions + places, unmapped + labels
    if not countries and issuer is not None and orgs:
        countries, regions, unmapped = place(issuer)
    notes += [prefixed("Country of the issuer", label) for label in unmapped]
    homepages = http_urls(spec.get("homepage"))
    notes += [{UNDETERMINED: f"Homepage: {url}"} for url in homepages[1:]]
    assessments = as_nodes(claim.get("provenBy"))
    assessment_specs = unique(
        [s for a in assessments for s in as_nodes(a.get("specifiedBy"))]
        + as_nodes(spec.get("provenBy"))
    )
    return MicroCredentialSpec(
        id=_identifier(spec),
        title=lang_map(spec.get("title")) or lang_map(claim.get("title")),
        description=lang_map(spec.get("description")) or lang_map(claim.get("description")) or None,
        issuer_countries=dedup(countries),
        issuer_regions=dedup(regions),
        awarding_bodies=bodies,
        learning_outcomes=learning_outcomes(spec, notes),
        workload=workload(spec, notes),
        level=level(spec, notes),
        assessment=assessment(assessments, assessment_specs),
        participation=participation(spec, claim, notes),
        quality_assurance=quality_assurance(spec, claim, issuer, evidence),
        prerequisites=note(spec.get("entryRequirement")) or None,
        supervision=supervision(assessments, assessment_specs, notes),
        grade_scheme=grade_scheme([*assessment_specs, spec]),
        stackability=stackability(spec),
        fields_of_study=fields_of_study(spec, notes),
        languages=dedup(concept_codes("languages", spec.get("language"), "Language", notes)),
        duration=string(spec.get("maximumDuration")),
        learning_setting=learning_setting(spec),
        url=homepages[0] if homepages else None,
        further_information=further_information(spec, notes),
    )


def _identifier(spec: Node) -> str | None:
    for ident in as_nodes(spec.get("identifier")):
        if notation := string(ident.get("notation")):
            return notation
    return string(spec.get("id"))
