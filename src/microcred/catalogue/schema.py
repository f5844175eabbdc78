"""The tantivy schema of the catalogue index and the entry -> document mapping.

Kept apart from the search logic so that the one place that decides *how* an entry is stored
(which fields are tokenized, which are fast columns for facet counts and sorting, what is
stored for display) can be read in one screen. Changing anything here changes the schema, and
tantivy refuses to open an index built with another schema: rebuild the index after upgrading.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

import tantivy

from microcred.catalogue.entry import CatalogueEntry, ects_bucket, isced_with_broader
from microcred.catalogue.query import FACETS

#: Tokenizer for human text in any of the EU languages: split on non-alphanumerics, lowercase,
#: fold accents (so "donnees" finds "données"), drop absurdly long tokens. No stemming: the
#: catalogue is multilingual and a per-language stemmer would need the language of each text
#: *and* of the query; folding alone keeps recall honest in every language.
TEXT_TOKENIZER = "mc_text"

#: Full-text fields and their BM25 boosts: a word in the title says more than one in an outcome.
TEXT_FIELDS: dict[str, float] = {
    "title": 3.0,
    "provider_text": 1.5,
    "description": 1.0,
    "outcomes": 1.0,
}


#: Separator of the values in a facet's counting key, and the key of "no value". Control
#: characters that no code or name contains; they are stripped from values to be sure.
KEY_SEPARATOR = "\x1f"
KEY_MISSING = "\x1e"


def facet_field(facet: str) -> str:
    """Field for filtering: one raw term per value, so a term query finds any of them."""
    return f"f_{facet}"


def count_field(facet: str) -> str:
    """Field for *counting*: exactly one fast-field value per document (see :func:`facet_key`).

    tantivy's terms aggregation is several times faster on a column where every document has
    exactly one value than on an optional or multi-valued one (measured at 1,000,000
    documents: ~2 ms against 10-45 ms per facet), and 11 facets are counted per search.
    """
    return f"c_{facet}"


def text_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # Raw keyword: the unit of delete-by-id for upserts.
    builder.add_text_field("id", tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=TEXT_TOKENIZER)
    for facet in FACETS:
        # Multi-valued, indexed for filters; fast too, for counting small result sets.
        builder.add_text_field(
            facet_field(facet), fast=True, tokenizer_name="raw", index_option="basic"
        )
        builder.add_text_field(
            count_field(facet), fast=True, tokenizer_name="raw", index_option="basic"
        )
    builder.add_float_field("ects", indexed=True, fast=True)
    builder.add_integer_field("updated", fast=True)
    builder.add_text_field("title_sort", fast=True, tokenizer_name="raw", index_option="basic")
    # Everything a result list shows, as one stored blob: no database query per page.
    builder.add_bytes_field("payload", stored=True)
    return builder.build()


def sort_key(title: dict[str, str]) -> str:
    """The title the "title" sort uses: English if given, else the first language's.

    Case and accents are folded so that "Écologie" sorts with the E's, not after "Z".
    """
    text = title.get("en") or next((title[k] for k in sorted(title) if title[k]), "")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(folded.split())[:64]


def facet_values(entry: CatalogueEntry) -> dict[str, list[str]]:
    """The values the entry contributes to each facet (distinct, possibly none)."""
    fields = [c for code in entry.fields for c in isced_with_broader(code)]
    bucket = ects_bucket(entry.ects)
    values: dict[str, list[str]] = {
        "field": fields,
        "eqf": [str(entry.eqf)] if entry.eqf is not None else [],
        "ects": [bucket] if bucket is not None else [],
        "mode": [entry.participation_mode] if entry.participation_mode else [],
        "language": list(entry.languages),
        "country": list(entry.countries),
        "provider_kind": [entry.provider_kind] if entry.provider_kind else [],
        "qa": ["yes" if entry.quality_assured else "no"],
        "stackability": [entry.stackability] if entry.stackability else [],
        "assessment": list(entry.assessment_types),
        "provider": [entry.provider_id] if entry.provider_id else [],
    }
    # A value listed twice would be counted once by the engine anyway; keep the input tidy.
    return {facet: list(dict.fromkeys(v for v in vals if v)) for facet, vals in values.items()}


def facet_key(values: Iterable[str]) -> str:
    """One string standing for a document's whole set of values in a facet.

    A document with languages {de, en} gets the single key "de<US>en"; counting keys and
    then crediting each value of a key with the key's count gives exact per-value counts,
    because each document has exactly one key and a key lists each value once.
    """
    clean = sorted({v.replace(KEY_SEPARATOR, "").replace(KEY_MISSING, "") for v in values if v})
    return KEY_SEPARATOR.join(clean) if clean else KEY_MISSING


@functools.lru_cache(maxsize=65_536)
def _key_values(facet: str, key: str) -> tuple[str, ...]:
    if key == KEY_MISSING:
        return ()
    values = key.split(KEY_SEPARATOR)
    if facet == "field":
        # Keys hold the codes as given; a broad-field count includes its detailed codes,
        # once per document even when it has two codes under the same broad field.
        values = list(dict.fromkeys(c for code in values for c in isced_with_broader(code)))
    return tuple(values)


def decode_counts(facet: str, key_counts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Per-value counts of a facet from the counts of its keys (see :func:`facet_key`)."""
    counts: Counter[str] = Counter()
    for key, count in key_counts:
        for value in _key_values(facet, key):
            counts[value] += count
    return dict(counts)


def payload(entry: CatalogueEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "provider_id": entry.provider_id,
        "provider_name": entry.provider_name,
        "provider_kind": entry.provider_kind,
        "ects": entry.ects,
        "eqf": entry.eqf,
        "participation_mode": entry.participation_mode,
        "languages": entry.languages,
        "countries": entry.countries,
        "quality_assured": entry.quality_assured,
        "updated": entry.updated,
    }


def to_document(entry: CatalogueEntry) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", entry.id)
    for text in entry.title.values():
        doc.add_text("title", text)
    for text in (entry.description or {}).values():
        doc.add_text("description", text)
    for text in entry.outcomes:
        doc.add_text("outcomes", text)
    if entry.provider_name:
        doc.add_text("provider_text", entry.provider_name)
    for facet, vals in facet_values(entry).items():
        for value in vals:
            doc.add_text(facet_field(facet), value)
        given = entry.fields if facet == "field" else vals  # broader codes are implied
        doc.add_text(count_field(facet), facet_key(given))
    if entry.ects is not None:
        doc.add_float("ects", float(entry.ects))
    doc.add_integer("updated", entry.updated_ordinal)
    doc.add_text("title_sort", sort_key(entry.title))
    doc.add_bytes("payload", json.dumps(payload(entry), separators=(",", ":")).encode())
    return doc
