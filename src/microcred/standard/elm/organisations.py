"""The organisations of an ELM credential: awarding bodies, their places and accreditations.

Annex I's provider, issuer country and region, and quality assurance all come from these nodes.
"""

from __future__ import annotations

import json

from microcred.standard.elm.concepts import concept_code
from microcred.standard.elm.nodes import (
    UNDETERMINED,
    Node,
    as_nodes,
    concept_label,
    dedup,
    first_node,
    http_urls,
    lang_map,
    merge,
    pick,
    prefixed,
    string,
)
from microcred.standard.model import AwardingBody, LangMap, QualityAssurance


def awarding_body(org: Node) -> AwardingBody:
    name = (
        lang_map(org.get("legalName"))
        or lang_map(org.get("prefLabel"))
        or lang_map(org.get("altLabel"))
    )
    homepages = http_urls(org.get("homepage"))
    countries = place(org)[0]
    return AwardingBody(
        name=name,
        id=string(org.get("id")),
        country=countries[0] if countries else None,
        homepage=homepages[0] if homepages else None,
    )


def place(org: Node) -> tuple[list[str], list[str], list[LangMap]]:
    """Country codes, region URIs and unmappable country labels of an organisation.

    Address countries first; the country of registration only when no address gives one.
    """
    countries: list[Node] = [
        c
        for loc in as_nodes(org.get("location"))
        for addr in as_nodes(loc.get("address"))
        for c in as_nodes(addr.get("countryCode"))
    ]
    if not countries:
        countries = [
            c for r in as_nodes(org.get("registration")) for c in as_nodes(r.get("spatial"))
        ]
    codes: list[str] = []
    unmapped: list[LangMap] = []
    for concept in countries:
        code = concept_code("countries", concept)
        if code is not None:
            codes.append(code)
        else:
            unmapped.append(concept_label(concept))
    regions = [
        r
        for loc in as_nodes(org.get("location"))
        for c in as_nodes(loc.get("spatialCode"))
        if (r := string(c.get("id")))
    ]
    return dedup(codes), dedup(regions), unmapped


def quality_assurance(
    spec: Node, claim: Node, issuer: Node | None, evidence: list[Node]
) -> list[QualityAssurance]:
    found: list[tuple[Node, str | None]] = [(a, None) for a in evidence]
    found += [(a, "external-programme") for a in as_nodes(spec.get("accreditation"))]
    orgs = [b for a in as_nodes(claim.get("awardedBy")) for b in as_nodes(a.get("awardingBody"))]
    orgs += [issuer] if issuer else []
    found += [(a, "external-institutional") for o in orgs for a in as_nodes(o.get("accreditation"))]
    seen: set[str] = set()
    result = []
    for acc, default in found:
        key = string(acc.get("id")) or json.dumps(acc, sort_keys=True, default=str)
        if key in seen:
            continue
        seen.add(key)
        labels = [concept_label(c) for c in as_nodes(acc.get("dcType"))]
        qa_type = next(
            (c for t in as_nodes(acc.get("dcType")) if (c := concept_code("qa-types", t))), None
        ) or ("external-programme" if acc.get("limitQualification") else default)
        agent = first_node(acc.get("accreditingAgent"))
        agency = None
        if agent is not None:
            agency = pick(lang_map(agent.get("legalName")) or lang_map(agent.get("prefLabel")))
            agency = agency or string(agent.get("id"))
        decision = string(acc.get("decision"))
        description = merge(
            [prefixed("Type", label) for label in labels]
            + [lang_map(acc.get("title")), lang_map(acc.get("description"))]
            + ([{UNDETERMINED: f"Decision: {decision}"}] if decision else []),
            "\n",
        )
        reports = http_urls(acc.get("report")) + http_urls(acc.get("landingPage"))
        result.append(
            QualityAssurance(
                type=qa_type,
                agency=agency,
                description=description or None,
                report_url=next(iter(reports + http_urls(acc.get("homepage"))), None),
            )
        )
    return result
