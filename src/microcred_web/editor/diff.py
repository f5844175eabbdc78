"""A readable difference between two versions of a specification, element by element.

Both versions are flattened to their leaves by the editor's own layout (a multilingual text is
one leaf per language, a code list one leaf, a row's elements one leaf each), so every change is
named the way the editor labels it ("Learning outcome 2 – What the learner is able to do
(fr)") and codes are shown with their vocabulary labels. Texts get a word-by-word comparison
(:mod:`difflib`, see docs/decisions/0018-spec-diff.md): a provider sees which words changed,
not two paragraphs to compare by eye.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from microcred_web.editor import layout, pickers

_ROW = re.compile(r"^(?P<group>[a-z_]+)\[(?P<i>\d+)\]\.(?P<rest>.+)$")


@dataclass(frozen=True)
class Change:
    path: str
    label: str
    kind: str  # added | removed | changed
    before: str
    after: str
    #: For texts: (op, words) with op "same", "del" or "ins", for a word-level view.
    words: list[tuple[str, str]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # for code lists
    removed: list[str] = field(default_factory=list)


def leaves(data: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of a specification by its element path (languages as the last part)."""
    out: dict[str, Any] = {}
    kind = layout.kind_of(path) if path else None
    if kind == "lang" and isinstance(data, Mapping):
        for tag, text in data.items():
            out[f"{path}.{tag}"] = text
    elif kind in ("codes", "split") and isinstance(data, list):
        out[path] = [str(v) for v in data]
    elif isinstance(data, Mapping):
        for key, child in data.items():
            out.update(leaves(child, f"{path}.{key}" if path else str(key)))
    elif isinstance(data, list):
        for i, child in enumerate(data):
            out.update(leaves(child, f"{path}[{i}]"))
    else:
        out[path] = data
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """The changes from ``before`` to ``after``, in the editor's order of elements."""
    old, new = leaves(before), leaves(after)
    order = {path: i for i, path in enumerate(_layout_order())}
    paths = sorted(set(old) | set(new), key=lambda p: (*_rank(p, order), p))
    changes = []
    for path in paths:
        a, b = old.get(path), new.get(path)
        if a == b:
            continue
        kind = "added" if a is None else "removed" if b is None else "changed"
        change = Change(path, label(path), kind, _show(path, a), _show(path, b))
        if isinstance(a, list) or isinstance(b, list):
            was, now = a or [], b or []
            change.added.extend(_show(path, [v]) for v in now if v not in was)
            change.removed.extend(_show(path, [v]) for v in was if v not in now)
        elif isinstance(a, str) and isinstance(b, str) and _is_text(path):
            change.words.extend(words(a, b))
        changes.append(change)
    return changes


def words(before: str, after: str) -> list[tuple[str, str]]:
    """A word-level comparison: runs of kept, deleted and inserted words."""
    a, b = before.split(), after.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", " ".join(b[j1:j2])))
    return out


def label(path: str) -> str:
    """The element's name as the editor shows it."""
    tag = ""
    base = path
    widget = _widget(path)
    if widget is None:
        head, _, last = path.rpartition(".")
        candidate = _widget(head)
        if candidate is not None and candidate.kind == "lang":
            widget, base, tag = candidate, head, last
    match = _ROW.match(base)
    if widget is None:
        return path
    text = str(widget.label)
    if match:
        group = layout.GROUPS[match["group"]]
        text = f"{group.row_label} {int(match['i']) + 1} – {text}"
    return f"{text} ({tag})" if tag else text


def _widget(path: str) -> layout.Widget | None:
    match = _ROW.match(path)
    if match and match["group"] in layout.GROUPS:
        for widget in layout.GROUPS[match["group"]].widgets:
            if widget.name == match["rest"]:
                return widget
        return None
    for section in layout.SECTIONS:
        for item in section.items:
            if isinstance(item, layout.Widget) and item.name == path:
                return item
    return None


def _is_text(path: str) -> bool:
    widget = _widget(path)
    if widget is None:
        head = path.rpartition(".")[0]
        widget = _widget(head)
    return widget is not None and widget.kind in ("lang", "text", "textarea")


def _show(path: str, value: Any) -> str:
    if value is None:
        return ""
    widget = _widget(path)
    if widget is not None and widget.vocab:
        labels = dict(pickers.options(widget.vocab))
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(str(v), str(v)) for v in values)
    if widget is not None and widget.kind in ("bool", "choice"):
        shown = str(value).lower()
        for code, text in widget.choices:
            if code == shown:
                return str(text)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _layout_order() -> list[str]:
    out = []
    for section in layout.SECTIONS:
        for item in section.items:
            if isinstance(item, layout.Group):
                out += [f"{item.name}[].{w.name}" for w in item.widgets]
            else:
                out.append(item.name)
    return out


def _rank(path: str, order: dict[str, int]) -> tuple[int, int, int]:
    """Sort key: the element's place in the editor; a row's elements stay together."""
    pattern = re.sub(r"\[\d+\]", "[]", path)
    match = _ROW.match(path)
    for candidate in (pattern, pattern.rpartition(".")[0]):
        if candidate not in order:
            continue
        if match and match["group"] in layout.GROUPS:
            first = layout.GROUPS[match["group"]].widgets[0].name
            return (order[f"{match['group']}[].{first}"], int(match["i"]), order[candidate])
        return (order[candidate], 0, 0)
    return (len(order), 0, 0)
