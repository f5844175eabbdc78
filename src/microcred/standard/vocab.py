"""Controlled vocabularies for the Annex I elements, shipped as JSON data.

The code lists live in ``microcred/standard/data/*.json`` rather than in Python so that they can be
reviewed, diffed and refreshed from their sources (ISO, UNESCO, the EU Publications Office) without
touching logic, and so that other tools can read the same files. This module only loads and
indexes them; it is deliberately free of Django and of any network access, because validation and
credential mapping must work offline and give the same answer everywhere.

A vocabulary is either unversioned (``<name>.json``) or versioned (``<name>-<version>.json``,
where the version starts with a digit). Several versions of one vocabulary may sit side by side
(e.g. a future ``esg-2025.json``); asking without a version gives the highest one, so that records
assessed against an older edition can still be checked against that edition.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = ["NAMES", "Term", "Vocabulary", "vocabulary"]

_DATA_PACKAGE = "microcred.standard.data"
# A version suffix must start with a digit, so hyphenated names such as "isced-f" or "qf-ehea"
# are not mistaken for "isced" version "f".
_VERSIONED = re.compile(r"^(?P<name>.+?)-(?P<version>\d[\w.]*)$")

ExtraValue = str | int | float | bool | None


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    uri: str | None = None
    broader: str | None = None
    # Excluded from the hash because mappings are not hashable; two terms are still compared on it.
    extra: Mapping[str, ExtraValue] = field(default_factory=dict, hash=False)

    @property
    def alt_labels(self) -> tuple[str, ...]:
        """Alternative labels are stored "|"-separated so the JSON stays flat and hand-editable."""
        alt = self.extra.get("alt")
        if not isinstance(alt, str) or not alt:
            return ()
        return tuple(part.strip() for part in alt.split("|") if part.strip())


def _norm(text: str) -> str:
    # Labels arrive from forms, CSV files and other systems with stray case and spacing.
    return " ".join(text.split()).casefold()


class Vocabulary:
    """One loaded code list, indexed for the look-ups validation and mapping need."""

    name: str
    version: str
    source: str
    licence: str
    terms: Mapping[str, Term]

    def __init__(
        self, name: str, version: str, source: str, terms: Mapping[str, Term], licence: str = ""
    ) -> None:
        self.name = name
        self.version = version
        self.source = source
        self.licence = licence
        self.terms = MappingProxyType(dict(terms))
        self._by_uri: dict[str, Term] = {}
        self._by_label: dict[str, Term] = {}
        # Keys for suggest(): lower-cased code or label -> code. Codes win over labels.
        self._suggest_keys: dict[str, str] = {}
        for term in self.terms.values():
            self._suggest_keys.setdefault(term.code.casefold(), term.code)
        for term in self.terms.values():
            # First term wins so that a URI shared by two terms (e.g. ELM has one "supervised
            # with ID verification" concept for two Annex I levels) resolves predictably.
            if term.uri is not None:
                self._by_uri.setdefault(term.uri, term)
            self._by_label.setdefault(_norm(term.label), term)
            self._suggest_keys.setdefault(_norm(term.label), term.code)
        for term in self.terms.values():
            for alt in term.alt_labels:
                self._by_label.setdefault(_norm(alt), term)
                self._suggest_keys.setdefault(_norm(alt), term.code)

    def get(self, code: str) -> Term | None:
        return self.terms.get(code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.terms

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"<Vocabulary {self.name} {self.version} ({len(self)} terms)>"

    def suggest(self, value: str, n: int = 3) -> list[str]:
        """Offer likely intended codes so that a rejected value comes with a way to fix it."""
        wanted = _norm(value)
        if not wanted or n <= 0:
            return []
        result: list[str] = []
        exact = self._suggest_keys.get(wanted)
        if exact is not None:
            result.append(exact)
        matches = difflib.get_close_matches(
            wanted, list(self._suggest_keys), n=n * 3 + len(result), cutoff=0.6
        )
        for key in matches:
            code = self._suggest_keys[key]
            if code not in result:
                result.append(code)
            if len(result) >= n:
                break
        return result[:n]

    def by_uri(self, uri: str) -> Term | None:
        return self._by_uri.get(uri)

    def by_label(self, label: str) -> Term | None:
        return self._by_label.get(_norm(label))


def _data_files() -> dict[str, dict[str, str]]:
    """Map vocabulary name -> {version or "": file name}, discovered from the shipped data."""
    found: dict[str, dict[str, str]] = {}
    for entry in resources.files(_DATA_PACKAGE).iterdir():
        file_name = entry.name
        if not file_name.endswith(".json"):
            continue
        stem = file_name[: -len(".json")]
        match = _VERSIONED.match(stem)
        if match:
            found.setdefault(match["name"], {})[match["version"]] = file_name
        else:
            found.setdefault(stem, {})[""] = file_name
    return found


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    # Numeric parts compare as numbers so that "2025" > "2015" and "10" > "9".
    parts = re.findall(r"\d+|[A-Za-z]+", version)
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)


_FILES = _data_files()

#: Every vocabulary name that :func:`vocabulary` accepts.
NAMES: tuple[str, ...] = tuple(sorted(_FILES))


def _term_from_json(raw: Mapping[str, Any]) -> Term:
    extra = raw.get("extra") or {}
    return Term(
        code=str(raw["code"]),
        label=str(raw["label"]),
        uri=raw.get("uri"),
        broader=raw.get("broader"),
        extra=MappingProxyType(dict(extra)),
    )


@functools.cache
def _load(file_name: str) -> Vocabulary:
    text = resources.files(_DATA_PACKAGE).joinpath(file_name).read_text(encoding="utf-8")
    doc = json.loads(text)
    terms: dict[str, Term] = {}
    for raw in doc["terms"]:
        term = _term_from_json(raw)
        if term.code in terms:
            raise ValueError(f"{file_name}: duplicate code {term.code!r}")
        terms[term.code] = term
    return Vocabulary(
        name=str(doc["name"]),
        version=str(doc["version"]),
        source=str(doc["source"]),
        terms=terms,
        licence=str(doc.get("licence", "")),
    )


@functools.lru_cache(maxsize=64)
def vocabulary(name: str, version: str | None = None) -> Vocabulary:
    """Return a vocabulary by name; versioned ones default to their latest edition."""
    files = _FILES.get(name)
    if files is None:
        raise KeyError(f"unknown vocabulary {name!r}; known: {', '.join(NAMES)}")
    if "" in files:
        vocab = _load(files[""])
        if version is not None and version != vocab.version:
            raise KeyError(
                f"vocabulary {name!r} has only version {vocab.version!r}, not {version!r}"
            )
        return vocab
    if version is None:
        version = max(files, key=_version_key)
    if version not in files:
        known = ", ".join(sorted(files, key=_version_key))
        raise KeyError(f"vocabulary {name!r} has no version {version!r}; known: {known}")
    return _load(files[version])
