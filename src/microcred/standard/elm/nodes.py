"""The JSON-LD nodes and values of an ELM credential, read leniently, and :class:`ElmError`.

ELM gives a single object where a list is allowed and plain strings where objects are expected;
the other modules read values only through these helpers. The error lives here because the date
readers raise it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from microcred.standard.model import LangMap

UNDETERMINED = "und"
_DURATION = re.compile(
    r"^P(?!$)(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<M>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(?P<h>\d+(?:[.,]\d+)?)H)?"
    r"(?:(?P<m>\d+(?:[.,]\d+)?)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$"
)
_HOURS = {"W": 168.0, "D": 24.0, "h": 1.0, "m": 1 / 60, "s": 1 / 3600}

Node = Mapping[str, Any]


class ElmError(ValueError):
    """The document is not an ELM credential we can read; the message names the element."""


def items(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def as_nodes(value: Any) -> list[Node]:
    """Objects in ``value``; a bare string stands for an object with that id (a concept URI)."""
    return [
        item if isinstance(item, Mapping) else {"id": item}
        for item in items(value)
        if isinstance(item, Mapping) or (isinstance(item, str) and item)
    ]


def first_node(value: Any) -> Node | None:
    nodes = as_nodes(value)
    return nodes[0] if nodes else None


def type_names(node: Mapping[str, Any]) -> set[str]:
    return {t for t in items(node.get("type")) if isinstance(t, str)}


def unique(nodes: list[Node]) -> list[Node]:
    seen: set[str] = set()
    result = []
    for node in nodes:
        key = string(node.get("id"))
        if key is None or key not in seen:
            result.append(node)
        if key is not None:
            seen.add(key)
    return result


def string(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def number_text(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def as_float(text: str | None) -> float | None:
    try:
        return float(text.replace(",", ".")) if text else None
    except ValueError:
        return None


def lang_map(value: Any) -> LangMap:
    """A language map as the model keeps it; lists of literals are joined line by line."""
    if isinstance(value, str):
        return {UNDETERMINED: value} if value.strip() else {}
    if not isinstance(value, Mapping):
        return {}
    result: LangMap = {}
    for lang, text in value.items():
        lines = [t for t in items(text) if isinstance(t, str) and t.strip()]
        if isinstance(lang, str) and lang.strip() and lines:
            result[lang.strip()] = "\n".join(lines)
    return result


def note(value: Any) -> LangMap:
    return merge([lang_map(n.get("noteLiteral")) for n in as_nodes(value)], "\n")


def concept_label(concept: Node) -> LangMap:
    label = lang_map(concept.get("prefLabel"))
    if label:
        return label
    uri = string(concept.get("id"))
    return {UNDETERMINED: uri} if uri else {}


def prefixed(element: str, text: LangMap) -> LangMap:
    return {lang: f"{element}: {value}" for lang, value in text.items()}


def merge(maps: Iterable[LangMap | None], sep: str) -> LangMap:
    """Join texts per language; language-free (``und``) parts go into every language present."""
    parts = [m for m in maps if m]
    langs = dedup([lang for m in parts for lang in m if lang != UNDETERMINED])
    if not langs:
        langs = [UNDETERMINED] if any(parts) else []
    result: LangMap = {}
    for lang in langs:
        texts = [m[lang] if lang in m else m.get(UNDETERMINED) for m in parts]
        result[lang] = sep.join(dedup([t for t in texts if t]))
    return {k: v for k, v in result.items() if v}


def pick(text: LangMap) -> str | None:
    """One string for fields that are not multilingual: English if given, else the first."""
    return text.get("en") or next(iter(text.values()), None)


def http_urls(value: Any) -> list[str]:
    urls = []
    for node in as_nodes(value):
        url = string(node.get("contentURL")) or string(node.get("id"))
        if url and re.match(r"^https?://", url):
            urls.append(url)
    return urls


def dedup(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def last_segment(uri: str | None) -> str | None:
    return (uri.rstrip("/").rsplit("/", 1)[-1] or None) if uri else None


def duration_hours(text: str) -> float | None:
    """Hours in an ISO 8601 duration; None when it uses years or months (no fixed length)."""
    match = _DURATION.match(text.strip())
    if match is None or match["Y"] or match["M"]:
        return None
    parts = {k: float(v.replace(",", ".")) for k, v in match.groupdict().items() if v}
    hours = sum(value * _HOURS[unit] for unit, value in parts.items())
    return round(hours, 6) if hours > 0 else None


def iso_datetime(value: Any, element: str) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ElmError(f"{element}: {_shown(value)} is not an ISO 8601 date and time")


def iso_date(value: Any, element: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ElmError(f"{element}: {_shown(value)} is not an ISO 8601 date")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def kind(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), f"a {type(value).__name__}")
