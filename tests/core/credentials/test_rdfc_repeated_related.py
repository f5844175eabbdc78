"""RDFC-1.0 with a related blank node listed many times: a graph name, as in a presentation.

A node inside a credential embedded in a presentation is related to the credential's graph
name once per quad about it; orderings of those equal entries are tried once, so two such
credentials no longer exhaust the work limit, and the labels still agree with pyld.
"""

from __future__ import annotations

import re

from pyld import jsonld

from microcred.credentials.nquads import BLANK, IRI, LITERAL, Quad, Term
from microcred.credentials.rdfc import canonicalize

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: 8 quads about each twin node: 8! = 40,320 orderings each before, twice the work limit.
PROPERTIES = 8


def _credential_graph(n: int) -> list[Quad]:
    graph = Term(BLANK, f"_:g{n}")
    twin = Term(BLANK, f"_:x{n}")
    quads = [
        Quad(Term(IRI, "http://example.org/vp"), Term(IRI, "http://example.org/vc"), graph),
        Quad(
            Term(IRI, f"http://example.org/credential/{n}"),
            Term(IRI, "http://example.org/learner"),
            Term(LITERAL, f"learner {n}", XSD_STRING),
            graph,
        ),
        Quad(
            Term(IRI, "http://example.org/achievement"),
            Term(IRI, "http://example.org/alignment"),
            twin,
            graph,
        ),
    ]
    quads += [
        Quad(
            twin,
            Term(IRI, f"http://example.org/p{i}"),
            Term(LITERAL, f"same value {i}", XSD_STRING),
            graph,
        )
        for i in range(PROPERTIES - 1)
    ]
    return quads


def test_twin_nodes_in_two_graphs_are_labelled_within_the_limit_as_pyld_does() -> None:
    quads = _credential_graph(1) + _credential_graph(2)
    ours = canonicalize(quads)  # raised CanonicalizationLimit before
    lines = "".join(
        sorted(
            f"{q.subject.value if q.subject.kind == BLANK else '<' + q.subject.value + '>'} "
            f"<{q.predicate.value}> "
            + (
                q.object.value
                if q.object.kind == BLANK
                else f'"{q.object.value}"'
                if q.object.kind == LITERAL
                else f"<{q.object.value}>"
            )
            + (f" {q.graph.value}" if q.graph is not None else "")
            + " .\n"
            for q in quads
        )
    )
    expected = jsonld.normalize(
        lines,
        {
            "algorithm": "URDNA2015",
            "inputFormat": "application/n-quads",
            "format": "application/n-quads",
        },
    )
    assert ours == expected
    assert set(re.findall(r"_:c14n\d+", ours)) == {f"_:c14n{i}" for i in range(4)}
