"""RDF Dataset Canonicalization (RDFC-1.0) over quads, with a work limit.

Why not pyld's ``normalize``: its URDNA2015 computes the same labels as RDFC-1.0, but hashes
and writes quads with pyld's N-Quads serialiser, which does not escape control characters
the canonical way (see :mod:`microcred.credentials.nquads`); the escaping feeds the blank-node
hashes too, so the output cannot be patched afterwards. It also has no guard against poison
graphs. So pyld gives us the dataset and this module implements RDFC-1.0 itself.

Identifiers carry their ``_:`` prefix throughout (``_:c14n0``, ``_:b1``), as in the N-Quads
they end up in; this is how the algorithm has always been computed (URDNA2015) and gives the
same hashes as RDFC-1.0's test suite.

Spec: https://www.w3.org/TR/rdf-canon/ (§4.4 canonicalization algorithm, §4.5 issue
identifier, §4.6 hash first degree quads, §4.7 hash related blank node, §4.8 hash N-degree
quads).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import permutations
from typing import Any

from microcred.credentials.errors import CanonicalizationLimit
from microcred.credentials.expansion import to_dataset
from microcred.credentials.fastpath import (
    EmbeddedDataset,
    document_to_dataset,
    remember_rows,
    source_rows,
)
from microcred.credentials.loader import ContextLoader
from microcred.credentials.nquads import BLANK, LITERAL, Quad, Term, serialize_term

#: Work units (Hash N-Degree Quads calls plus permutations tried) before giving up.
#: Ordinary credentials need none: their blank nodes have distinct first-degree hashes.
DEFAULT_MAX_WORK = 20_000
#: Turn documents into RDF through :mod:`microcred.credentials.fastpath` when it handles them
#: (same quads, compiled contexts). False forces the general pyld path for every document:
#: the tests and the benchmark set it to compare the two.
USE_FAST_PATH = True
CANONICAL_PREFIX = "_:c14n"
TEMPORARY_PREFIX = "_:b"


class IdentifierIssuer:
    """Issue Identifier algorithm state (RDFC-1.0 §4.5): prefix, counter, issued map."""

    __slots__ = ("counter", "issued", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.counter = 0
        self.issued: dict[str, str] = {}  # insertion-ordered, as the spec's "issued order"

    def issue(self, existing: str) -> str:
        """The identifier for ``existing``, issuing the next one if it has none yet."""
        issued = self.issued.get(existing)
        if issued is None:
            issued = f"{self.prefix}{self.counter}"
            self.issued[existing] = issued
            self.counter += 1
        return issued

    def copy(self) -> IdentifierIssuer:
        clone = IdentifierIssuer(self.prefix)
        clone.counter = self.counter
        clone.issued = dict(self.issued)
        return clone


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: A quad with every term already in canonical N-Quads form (blank nodes as their labels),
#: graph None for the default graph. Each term is serialised once, however many times the
#: algorithm writes the quad (once per blank node it mentions, then once relabelled); a
#: serialised IRI starts with "<" and a literal with '"', so a leading "_" marks a blank node.
_Row = tuple[str, str, str, str | None]


def _rows_of(quads: Sequence[Quad]) -> list[_Row]:
    """The rows of ``quads``; for a credential inside a presentation, taken from the rows of
    the presentation's dataset, serialised moments before (see ``fastpath.reuse_embedded``)."""
    if isinstance(quads, EmbeddedDataset):
        source = source_rows(quads)
        if source is not None:
            return _rows_within(quads, source)
    rows = _rows(quads)
    remember_rows(quads, rows)
    return rows


def _rows_within(quads: EmbeddedDataset, source: list[_Row]) -> list[_Row]:
    # quads[k] is source quad i with the credential's graph made the default graph, so its row
    # is source row i with the graph dropped: the very row _rows would write for it.
    graph = quads.graph
    rows: list[_Row] = []
    append = rows.append
    for start, stop in quads.spans:
        for quad, row in zip(quads.source[start:stop], source[start:stop], strict=True):
            append(row if quad[3] is not graph else (row[0], row[1], row[2], None))
    return rows


def _rows(quads: Sequence[Quad]) -> list[_Row]:
    # One loop, no call per term: subjects and predicates recur quad after quad, so IRIs are
    # looked up by their (hash-cached) string, and literals by the term (a text repeated in
    # a document, or in the credentials of one presentation, is escaped once).
    iris: dict[str, str] = {}
    literals: dict[Term, str] = {}
    rows: list[_Row] = []
    append = rows.append
    last_subject: Term | None = None
    s = ""
    for subject, predicate, obj, graph in quads:
        if subject is not last_subject:  # a node's quads come together, with one subject
            last_subject = subject
            if subject.kind == BLANK:
                s = subject.value
            else:
                s = iris.get(subject.value) or iris.setdefault(subject.value, f"<{subject.value}>")
        p = iris.get(predicate.value) or iris.setdefault(predicate.value, f"<{predicate.value}>")
        kind = obj.kind
        if kind == LITERAL:
            o = literals.get(obj) or literals.setdefault(obj, serialize_term(obj))
        elif kind == BLANK:
            o = obj.value
        else:
            o = iris.get(obj.value) or iris.setdefault(obj.value, f"<{obj.value}>")
        if graph is None:
            append((s, p, o, None))
        else:
            append((s, p, o, graph.value if graph.kind == BLANK else f"<{graph.value}>"))
    return rows


def _written(rows: Iterable[_Row], labels: Mapping[str, str], other: str) -> str:
    """The rows as sorted N-Quads lines, each blank node written as ``labels`` says (as
    ``other`` when it is not there): canonical labels at the end, ``_:a``/``_:z`` for a
    first-degree hash."""
    lines = []
    for s, p, o, g in rows:
        if s[0] == "_":
            s = labels.get(s, other)
        if o[0] == "_":
            o = labels.get(o, other)
        if g is None:
            lines.append(f"{s} {p} {o} .\n")
        else:
            if g[0] == "_":
                g = labels.get(g, other)
            lines.append(f"{s} {p} {o} {g} .\n")
    lines.sort()
    return "".join(lines)


class _Canonicalizer:
    """Canonicalization state (RDFC-1.0 §4.2) for one dataset."""

    def __init__(self, quads: Sequence[Quad], max_work: int) -> None:
        self.rows = _rows_of(quads)
        self.max_work = max_work
        self.work = 0
        self.blank_node_to_quads: dict[str, list[_Row]] = {}
        self.first_degree_hashes: dict[str, str] = {}
        self.canonical_issuer = IdentifierIssuer(CANONICAL_PREFIX)

    def spend(self, units: int = 1) -> None:
        self.work += units
        if self.work > self.max_work:
            raise CanonicalizationLimit(
                f"RDFC-1.0 gave up after {self.max_work} work units: the document's blank "
                "nodes are too symmetric to label (a poisoned graph?)"
            )

    # §4.4.3 Canonicalization algorithm
    def canonicalize(self) -> str:
        # 2) blank node to quads map (a quad is listed once per blank component, as specified)
        to_quads = self.blank_node_to_quads
        for row in self.rows:
            s, _, o, g = row
            if s[0] == "_":
                to_quads.setdefault(s, []).append(row)
            if o[0] == "_":
                to_quads.setdefault(o, []).append(row)
            if g is not None and g[0] == "_":
                to_quads.setdefault(g, []).append(row)
        # 3) hash to blank nodes map, from first-degree hashes
        hash_to_blank_nodes: dict[str, list[str]] = {}
        for blank_node in self.blank_node_to_quads:
            first = self.hash_first_degree_quads(blank_node)
            hash_to_blank_nodes.setdefault(first, []).append(blank_node)
        # 4) issue canonical ids to nodes with a unique first-degree hash, in hash order
        shared: list[list[str]] = []
        for _, nodes in sorted(hash_to_blank_nodes.items()):
            if len(nodes) == 1:
                self.canonical_issuer.issue(nodes[0])
            else:
                shared.append(nodes)
        # 5) the rest: by N-degree hash, group by group in first-degree hash order
        for nodes in shared:
            results: list[tuple[str, IdentifierIssuer]] = []
            for blank_node in nodes:
                if blank_node in self.canonical_issuer.issued:
                    continue
                temporary = IdentifierIssuer(TEMPORARY_PREFIX)
                temporary.issue(blank_node)
                results.append(self.hash_n_degree_quads(blank_node, temporary))
            for _, issuer in sorted(results, key=lambda result: result[0]):
                for existing in issuer.issued:
                    self.canonical_issuer.issue(existing)
        # 6) relabel, serialise, sort
        return _written(self.rows, self.canonical_issuer.issued, "")

    # §4.6.3 Hash First Degree Quads
    def hash_first_degree_quads(self, reference: str) -> str:
        cached = self.first_degree_hashes.get(reference)
        if cached is not None:
            return cached
        result = _sha256_hex(
            _written(self.blank_node_to_quads[reference], {reference: "_:a"}, "_:z")
        )
        self.first_degree_hashes[reference] = result
        return result

    # §4.7.3 Hash Related Blank Node
    def hash_related_blank_node(
        self, related: str, row: _Row, issuer: IdentifierIssuer, position: str
    ) -> str:
        identifier = self.canonical_issuer.issued.get(related) or issuer.issued.get(related)
        if identifier is None:
            identifier = self.hash_first_degree_quads(related)
        data = position
        if position != "g":
            data += row[1]  # the predicate, already written as <IRI>
        return _sha256_hex(data + identifier)

    # §4.8.3 Hash N-Degree Quads
    def hash_n_degree_quads(
        self, identifier: str, issuer: IdentifierIssuer
    ) -> tuple[str, IdentifierIssuer]:
        self.spend()
        # 1-3) hash to related blank nodes map
        hash_to_related: dict[str, list[str]] = {}
        # The same relation (position, predicate, node) recurs quad after quad (a graph name,
        # once per quad in its graph); its hash depends on nothing else while these steps
        # run, so it is computed once here.
        seen: dict[tuple[str, str, str], str] = {}
        for row in self.blank_node_to_quads[identifier]:
            s, p, o, g = row
            for position, label in (("s", s), ("o", o), ("g", g)):
                if label is None or label[0] != "_" or label == identifier:
                    continue
                key = (position, "" if position == "g" else p, label)
                related_hash = seen.get(key)
                if related_hash is None:
                    related_hash = self.hash_related_blank_node(label, row, issuer, position)
                    seen[key] = related_hash
                hash_to_related.setdefault(related_hash, []).append(label)
        # 4-5) data to hash
        data_to_hash = ""
        canonical_issued = self.canonical_issuer.issued
        for related_hash, blank_nodes in sorted(hash_to_related.items()):
            data_to_hash += related_hash
            first = blank_nodes[0]
            if first in canonical_issued and blank_nodes.count(first) == len(blank_nodes):
                # One node, already labelled, listed once per quad (a graph name, typically):
                # its only permutation's path is that label repeated, nothing is issued and
                # nothing recursed into, so the issuer stays as it is (§4.8.3 step 5.4).
                self.spend()
                data_to_hash += canonical_issued[first] * len(blank_nodes)
                continue
            chosen_path = ""
            chosen_issuer: IdentifierIssuer | None = None
            for permutation in _distinct_permutations(blank_nodes):
                self.spend()
                issuer_copy = issuer.copy()
                path = ""
                recursion_list: list[str] = []
                skip = False
                for related in permutation:
                    canonical = self.canonical_issuer.issued.get(related)
                    if canonical is not None:
                        path += canonical
                    else:
                        if related not in issuer_copy.issued:
                            recursion_list.append(related)
                        path += issuer_copy.issue(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion_list:
                    result_hash, result_issuer = self.hash_n_degree_quads(related, issuer_copy)
                    path += issuer_copy.issue(related)
                    path += f"<{result_hash}>"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data_to_hash += chosen_path
            assert chosen_issuer is not None
            issuer = chosen_issuer
        return _sha256_hex(data_to_hash), issuer


def _distinct_permutations(items: list[str]) -> Iterator[tuple[str, ...]]:
    """Every ordering of ``items``, each distinct one once.

    A blank node named in several quads of a related node is listed once per quad (§4.8.3
    step 3), so its list can hold one node many times: a credential's graph name is listed for
    each of the credential's quads about a node, seven times for an OBv3 alignment. Orderings
    that only swap equal entries give the same path and issuer, so trying them again changes
    nothing but the cost (7! = 5,040 per node, which made a presentation of two credentials
    hit the work limit); RDFC-1.0 leaves the order of permutations open.
    """
    if len(set(items)) == len(items):
        yield from permutations(items)
        return
    pool = sorted(items)
    last = len(pool) - 1
    while True:
        yield tuple(pool)
        # the next lexicographic arrangement (Knuth's algorithm L, which skips repeats)
        i = last - 1
        while i >= 0 and pool[i] >= pool[i + 1]:
            i -= 1
        if i < 0:
            return
        j = last
        while pool[j] <= pool[i]:
            j -= 1
        pool[i], pool[j] = pool[j], pool[i]
        pool[i + 1 :] = reversed(pool[i + 1 :])


def canonicalize(quads: Sequence[Quad], max_work: int = DEFAULT_MAX_WORK) -> str:
    """The canonical N-Quads document of a dataset (RDFC-1.0 §4.4).

    Raises :class:`CanonicalizationLimit` when the dataset needs more than ``max_work``
    units of the exponential part of the algorithm, or recurses too deeply.
    """
    try:
        return _Canonicalizer(quads, max_work).canonicalize()
    except RecursionError as error:
        raise CanonicalizationLimit("RDFC-1.0 recursion too deep for this dataset") from error


def document_dataset(document: Mapping[str, Any], loader: ContextLoader) -> list[Quad]:
    """The strict RDF dataset of ``document``: the fast path if it handles it, else pyld's."""
    if USE_FAST_PATH:
        quads = document_to_dataset(document, loader)
        if quads is not None:
            return quads
    return to_dataset(document, loader)


def canonical_nquads(
    document: Mapping[str, Any], loader: ContextLoader, max_work: int = DEFAULT_MAX_WORK
) -> str:
    """JSON-LD document -> strict RDF dataset -> canonical N-Quads."""
    return canonicalize(document_dataset(document, loader), max_work)
