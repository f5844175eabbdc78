"""The tantivy schema of the catalogue index and the entry -> document mapping.

Kept apart from the search logic so that the one place that decides *how* an entry is stored
(which fields are tokenized, which are fast columns for facet counts and sorting, what is
stored for display) can be read in one screen. Changing anything here (a field, or how a
field's text is analysed) changes the index: bump :data:`SCHEMA_VERSION` so that the next
start builds a new index rather than reading the old one.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import tantivy

from microcred.catalogue import polish
from microcred.catalogue.entry import CatalogueEntry, ects_bucket, isced_with_broader
from microcred.catalogue.query import FACETS

#: Bump whenever the schema or the analysis of any field changes. The index lives in a
#: subdirectory named after it (see :func:`index_directory`), so a new version starts from an
#: empty directory (which the web layer rebuilds from the database) instead of reading an
#: index whose terms were made by other analyzers: tantivy would refuse a changed schema, but
#: a changed tokenizer under the same field names it would read, and quietly miss words.
#: 2: per-language stemmed fields and the title n-gram field (decision 0021).
SCHEMA_VERSION = 2

#: Tokenizer for text whose language is unknown (outcomes, provider names, titles in languages
#: without a stemmer here): split on non-alphanumerics, lowercase, fold accents (so "donnees"
#: finds "données"), drop absurdly long tokens. No stemming.
TEXT_TOKENIZER = "mc_text"

#: The languages whose text is stemmed, each with tantivy's Snowball stemmer; Polish (no
#: Snowball stemmer) with :mod:`microcred.catalogue.polish` applied in Python before indexing.
#: Folding comes *before* stemming on both sides, so "energia" and "energía" meet one stem.
STEMMERS: dict[str, str | None] = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "pl": None,
}
#: Suffix of the fields for text in any other language: folded, not stemmed.
OTHER = "other"

#: Character 4-grams of the titles (all languages): what lets "Roboter" find
#: "Industrierobotern" and "energie" find "Energiewende", where no stemmer decompounds.
GRAM_FIELD = "title_grams"
GRAM_TOKENIZER = "mc_grams"
GRAM_SIZE = 4

#: Full-text fields and their BM25 boosts: a word in the title says more than one in an
#: outcome. Title and description have one field per stemmed language plus ``_other``.
TITLE_BOOST = 3.0
DESCRIPTION_BOOST = 1.0
TEXT_FIELDS: dict[str, float] = {
    **{f"title_{lang}": TITLE_BOOST for lang in [*STEMMERS, OTHER]},
    **{f"description_{lang}": DESCRIPTION_BOOST for lang in [*STEMMERS, OTHER]},
    "provider_text": 1.5,
    "outcomes": 1.0,
}


def language_tokenizer(lang: str) -> str:
    """The tokenizer name of a language's fields (Polish text arrives stemmed: base one)."""
    return f"mc_{lang}" if STEMMERS.get(lang) else TEXT_TOKENIZER


def field_language(lang: str) -> str:
    """The field suffix for a language tag: "de-AT" -> "de", "sv" -> "other"."""
    base = lang.split("-", 1)[0].split("_", 1)[0].lower()
    return base if base in STEMMERS else OTHER


#: The value of an empty slot (a document with fewer values than the facet has slots). A
#: control character that no code or name contains; it is stripped from values to be sure.
SLOT_EMPTY = "\x1e"

#: How many of a document's values in each facet get a counting column of their own. Why
#: slots: tantivy's terms aggregation is cheapest on a column where every document has exactly
#: one value (measured at 1,000,000 documents: ~1.5 ms per column, against ~30 ms for a
#: multi-valued column and ~8 ms for a column of value *combinations*, whose cost grows with
#: the thousands of distinct combinations). A document's values are sorted into the slots;
#: each value sits in one slot only, so adding the slots' counts gives exact per-value counts.
#: Values beyond the last slot go to one multi-valued overflow column, counted only when some
#: document needs it. Six for the field of study: one detailed code brings three values
#: (broad, narrow, detailed), and two codes are common.
SLOTS: dict[str, int] = {"field": 6, "country": 3, "language": 3, "assessment": 3}
#: Marks, per facet, the documents that have values in the overflow column.
OVERFLOW_MARK = "overflow"


def facet_field(facet: str) -> str:
    """Field for filtering: one raw term per value, so a term query finds any of them."""
    return f"f_{facet}"


def slot_count(facet: str) -> int:
    """How many slot columns the facet has (one for the single-valued facets)."""
    return SLOTS.get(facet, 1)


def slot_field(facet: str, slot: int) -> str:
    """Counting column ``slot`` of a facet: exactly one value per document (see :data:`SLOTS`)."""
    return f"s_{facet}_{slot}"


def overflow_field(facet: str) -> str:
    """Counting column for the values of a document beyond the facet's slots."""
    return f"o_{facet}"


def text_analyzer() -> tantivy.TextAnalyzer:
    return _builder().build()


def _builder() -> tantivy.TextAnalyzerBuilder:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )


def gram_analyzer() -> tantivy.TextAnalyzer:
    # tantivy's n-gram tokenizer runs over the whole text, spaces included; dropping every
    # gram with a non-alphanumeric character (after folding) keeps the grams inside words.
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(GRAM_SIZE, GRAM_SIZE))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.alphanum_only())
        .build()
    )


class Analysis:
    """Every analyzer of the index, for registering on it and for analysing queries alike.

    The query side must cut and stem words exactly as the documents were, so both use these.
    """

    def __init__(self) -> None:
        self.base = text_analyzer()
        self.grams = gram_analyzer()
        self.stemmers: dict[str, tantivy.TextAnalyzer] = {
            lang: _builder().filter(tantivy.Filter.stemmer(name)).build()
            for lang, name in STEMMERS.items()
            if name is not None
        }

    def register(self, index: tantivy.Index) -> None:
        index.register_tokenizer(TEXT_TOKENIZER, self.base)
        index.register_tokenizer(GRAM_TOKENIZER, self.grams)
        for lang, analyzer in self.stemmers.items():
            index.register_tokenizer(language_tokenizer(lang), analyzer)

    def stem(self, lang: str, word: str) -> str:
        """The stem of one folded word in a stemmed language."""
        if lang == "pl":
            return polish.stem(word)
        out = self.stemmers[lang].analyze(word)
        return out[0] if out else word

    def polish_text(self, text: str) -> str:
        """Polish text as the Polish fields index it: folded words, each stemmed."""
        return " ".join(polish.stem(w) for w in self.base.analyze(text))


_analysis: Analysis | None = None


def analysis() -> Analysis:
    """The analyzers shared by document building in this process (made once, on first use)."""
    global _analysis
    if _analysis is None:
        _analysis = Analysis()
    return _analysis


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # Raw keyword: the unit of delete-by-id for upserts.
    builder.add_text_field("id", tokenizer_name="raw", index_option="basic")
    for lang in [*STEMMERS, OTHER]:
        for kind in ("title", "description"):
            builder.add_text_field(f"{kind}_{lang}", tokenizer_name=language_tokenizer(lang))
    builder.add_text_field("provider_text", tokenizer_name=TEXT_TOKENIZER)
    builder.add_text_field("outcomes", tokenizer_name=TEXT_TOKENIZER)
    # Which documents have a gram is all that is asked (a constant score): no frequencies.
    builder.add_text_field(GRAM_FIELD, tokenizer_name=GRAM_TOKENIZER, index_option="basic")
    for facet in FACETS:
        # Multi-valued and indexed, for filters; counting uses the fast columns below.
        builder.add_text_field(facet_field(facet), tokenizer_name="raw", index_option="basic")
        for slot in range(slot_count(facet)):
            builder.add_text_field(
                slot_field(facet, slot), fast=True, tokenizer_name="raw", index_option="basic"
            )
        builder.add_text_field(
            overflow_field(facet), fast=True, tokenizer_name="raw", index_option="basic"
        )
    builder.add_text_field(OVERFLOW_MARK, tokenizer_name="raw", index_option="basic")
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
    # Distinct and free of the empty-slot mark, so filtering and counting see the same values.
    return {
        facet: list(dict.fromkeys(c for c in (v.replace(SLOT_EMPTY, "") for v in vals) if c))
        for facet, vals in values.items()
    }


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


def _add_text(doc: tantivy.Document, kind: str, lang: str, text: str) -> None:
    """Index a text in its language's field (``kind`` is "title" or "description")."""
    suffix = field_language(lang)
    if suffix == "pl":
        text = analysis().polish_text(text)
    doc.add_text(f"{kind}_{suffix}", text)


def to_document(entry: CatalogueEntry) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", entry.id)
    for kind, texts in (("title", entry.title), ("description", entry.description or {})):
        for lang, text in texts.items():
            _add_text(doc, kind, lang, text)
    for text in entry.title.values():
        doc.add_text(GRAM_FIELD, text)
    for text in entry.outcomes:
        doc.add_text("outcomes", text)
    if entry.provider_name:
        doc.add_text("provider_text", entry.provider_name)
    for facet, vals in facet_values(entry).items():
        for value in vals:
            doc.add_text(facet_field(facet), value)
        ordered = sorted(vals)
        slots = slot_count(facet)
        for slot in range(slots):
            doc.add_text(
                slot_field(facet, slot), ordered[slot] if slot < len(ordered) else SLOT_EMPTY
            )
        for value in ordered[slots:]:
            doc.add_text(overflow_field(facet), value)
        if len(ordered) > slots:
            doc.add_text(OVERFLOW_MARK, facet)
    if entry.ects is not None:
        doc.add_float("ects", float(entry.ects))
    doc.add_integer("updated", entry.updated_ordinal)
    doc.add_text("title_sort", sort_key(entry.title))
    doc.add_bytes("payload", json.dumps(payload(entry), separators=(",", ":")).encode())
    return doc
