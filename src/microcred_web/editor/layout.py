"""The editor's form: every Annex I element, how it is named in the form, and back to JSON.

One description (:data:`SECTIONS`) drives the page, the form codec and the browser script:
each input is named by the element path the core's findings use (``workload.ects``,
``learning_outcomes[2].esco_skill``), so a finding lands next to its input by its path alone,
on the server and in the browser alike. A multilingual text at path ``P`` is a list of pairs
``P.lang.N`` / ``P.text.N``; rows of a repeated element are ``group[i].name``.

Why values are kept as typed: a draft may hold errors. A number that is not one stays a string
(the core reports ``invalid-value`` at its path) and an unknown code stays in its picker, so
nothing the provider typed is lost on save.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Widget kinds: how a value is read from the form and shown.
KINDS = ("text", "textarea", "number", "code", "codes", "lang", "split", "bool", "url", "choice")


@dataclass(frozen=True)
class Widget:
    name: str  # the element's name inside its parent (its path when not in a row)
    kind: str
    label: str | Promise
    vocab: str | None = None
    hint: str | Promise = ""
    choices: tuple[tuple[str, str | Promise], ...] = ()
    long: bool = False  # a multilingual text written as paragraphs


@dataclass(frozen=True)
class Group:
    """A repeated element: one row per awarding body, learning outcome, QA type."""

    name: str
    label: str | Promise
    row_label: str | Promise
    widgets: tuple[Widget, ...]
    hint: str | Promise = ""


@dataclass(frozen=True)
class Section:
    slug: str
    title: str | Promise
    items: tuple[Widget | Group, ...]
    #: Element paths whose own findings (``workload``, ``level``) are shown at the section.
    paths: tuple[str, ...] = ()
    hint: str | Promise = ""


_SCHEDULE = (("", _("Not said")), ("true", _("Fixed schedule")), ("false", _("Self-paced")))
_SETTING = (("", _("Not said")), ("formal", _("Formal")), ("non-formal", _("Non-formal")))

SECTIONS: tuple[Section, ...] = (
    Section(
        "identity",
        _("Title and description"),
        (
            Widget(
                "id",
                "text",
                _("Local identifier"),
                hint=_("Your own code for it, e.g. DS-101. It cannot change once saved."),
            ),
            Widget("title", "lang", _("Title")),
            Widget("description", "lang", _("Description"), long=True),
        ),
    ),
    Section(
        "issuer",
        _("Issuer and awarding bodies"),
        (
            Widget(
                "issuer_countries", "codes", _("Country or countries of the issuer"), "countries"
            ),
            Widget(
                "issuer_regions",
                "split",
                _("Regions of the issuer (optional)"),
                hint=_("Separate several with a semicolon."),
            ),
            Group(
                "awarding_bodies",
                _("Awarding bodies"),
                _("Awarding body"),
                (
                    Widget("name", "lang", _("Name")),
                    Widget("country", "code", _("Country"), "countries"),
                    Widget("id", "url", _("Identifier (URI, DID or register id, optional)")),
                    Widget("homepage", "url", _("Website (optional)")),
                ),
            ),
        ),
    ),
    Section(
        "outcomes",
        _("Learning outcomes"),
        (
            Group(
                "learning_outcomes",
                _("Learning outcomes"),
                _("Learning outcome"),
                (
                    Widget("text", "lang", _("What the learner is able to do")),
                    Widget(
                        "esco_skill",
                        "url",
                        _("ESCO skill (optional)"),
                        hint=_("The skill's URI, e.g. http://data.europa.eu/esco/skill/…"),
                    ),
                    Widget(
                        "related_skills",
                        "split",
                        _("Related skill URIs (optional)"),
                        hint=_("Separate several with a semicolon."),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "workload",
        _("Workload and level"),
        (
            Widget("workload.ects", "number", _("Workload in ECTS credits")),
            Widget(
                "workload.hours",
                "number",
                _("Workload in hours"),
                hint=_("Give ECTS, hours or both (1 ECTS is 25 to 30 hours)."),
            ),
            Widget("level.eqf", "code", _("EQF level"), "eqf"),
            Widget("level.qf_ehea", "code", _("QF-EHEA cycle"), "qf-ehea"),
            Widget("level.national", "lang", _("National framework level (optional)")),
            Widget("level.national_uri", "url", _("National level URI (optional)")),
        ),
        paths=("workload", "level"),
    ),
    Section(
        "assessment",
        _("Assessment and participation"),
        (
            Widget("assessment.types", "codes", _("Type of assessment"), "assessment-types"),
            Widget("assessment.title", "lang", _("Assessment, in your words (optional)")),
            Widget("assessment.description", "lang", _("Assessment details (optional)"), long=True),
            Widget("participation.mode", "code", _("Form of participation"), "participation-modes"),
            Widget("participation.scheduled", "bool", _("Schedule"), choices=_SCHEDULE),
            Widget(
                "supervision", "code", _("Supervision and identity verification"), "supervision"
            ),
            Widget("grade_scheme", "lang", _("Grading scheme (optional)")),
        ),
        paths=("assessment", "participation"),
    ),
    Section(
        "quality",
        _("Quality assurance"),
        (
            Group(
                "quality_assurance",
                _("Types of quality assurance"),
                _("Quality assurance"),
                (
                    Widget("type", "code", _("Type of quality assurance"), "qa-types"),
                    Widget("agency", "text", _("Agency (optional)")),
                    Widget("description", "lang", _("Description (optional)"), long=True),
                    Widget("report_url", "url", _("Report URL (optional)")),
                ),
            ),
        ),
    ),
    Section(
        "more",
        _("Stackability, prerequisites and further information"),
        (
            Widget("stackability.option", "code", _("Stackability"), "stackability"),
            Widget("stackability.towards", "lang", _("Stacks towards (optional)")),
            Widget("prerequisites", "lang", _("Prerequisites (optional)"), long=True),
            Widget("further_information", "lang", _("Further information (optional)"), long=True),
        ),
        paths=("stackability",),
    ),
    Section(
        "catalogue",
        _("Catalogue"),
        (
            Widget("fields_of_study", "codes", _("Fields of study (ISCED-F 2013)"), "isced-f"),
            Widget("languages", "codes", _("Languages of instruction"), "languages"),
            Widget(
                "duration",
                "text",
                _("Duration (optional)"),
                hint=_("ISO 8601, e.g. P6W for six weeks."),
            ),
            Widget("learning_setting", "choice", _("Learning setting"), choices=_SETTING),
            Widget("url", "url", _("Web page (optional)")),
        ),
    ),
)

#: Widget kind by path pattern (row indices written ``[]``): the codec reads the form with it.
_KIND_BY_PATTERN: dict[str, str] = {}
#: The path patterns of repeated rows, and of multilingual texts.
GROUPS: dict[str, Group] = {}
for _section in SECTIONS:
    for _item in _section.items:
        if isinstance(_item, Group):
            GROUPS[_item.name] = _item
            for _w in _item.widgets:
                _KIND_BY_PATTERN[f"{_item.name}[].{_w.name}"] = _w.kind
        else:
            _KIND_BY_PATTERN[_item.name] = _item.kind

_INDEX = re.compile(r"\[\d+\]")
_LANG_KEY = re.compile(r"^(?P<path>.+)\.(?P<part>lang|text)\.(?P<n>\d{1,3})$")
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
#: Most rows or languages one form may hold: the form is a page, not a bulk upload.
MAX_INDEX = 200


def kind_of(path: str) -> str | None:
    return _KIND_BY_PATTERN.get(_INDEX.sub("[]", path))


def dom_id(path: str) -> str:
    """An HTML id for an element path: ``level.eqf`` -> ``f-level-eqf``."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")


def parse_path(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _PATH_PART.findall(path)]


# --- form -> JSON ---------------------------------------------------------------------------


def form_to_data(post: Any) -> dict[str, Any]:
    """The specification the form holds, as typed: empty inputs and empty rows left out.

    ``post`` is a QueryDict (``getlist``) or a mapping of lists. Unknown names are ignored, so
    a crafted form cannot add elements the editor does not show. NUL characters are dropped.
    """
    source = post.getlist if hasattr(post, "getlist") else lambda k: list(post.get(k, []))

    def getlist(key: str) -> list[str]:
        # NUL is the one character no database text may hold (PostgreSQL refuses it).
        return [str(v).replace("\x00", "") for v in source(key)]

    out: dict[str, Any] = {}
    langs: dict[str, dict[int, dict[str, str]]] = {}
    for key in list(post.keys()):
        match = _LANG_KEY.match(key)
        if match:
            path_ok = kind_of(match["path"]) == "lang" and _indices_ok(match["path"])
            if path_ok and int(match["n"]) < MAX_INDEX:
                pair = langs.setdefault(match["path"], {}).setdefault(int(match["n"]), {})
                pair[match["part"]] = _last(getlist(key))
            continue
        kind = kind_of(key)
        if kind is None or not _indices_ok(key):
            continue
        value = _read(kind, getlist(key))
        if value is not None:
            _put(out, parse_path(key), value)
    for path, pairs in langs.items():
        text: dict[str, str] = {}
        for n in sorted(pairs):
            tag = pairs[n].get("lang", "").strip()
            body = pairs[n].get("text", "")
            if not tag and not body.strip():
                continue
            # Two rows with one tag: the later one gets a marked key so neither text is lost
            # (the core reports the odd tag as invalid).
            while tag in text:
                tag += "?"
            text[tag] = body
        if text:
            _put(out, parse_path(path), text)
    return _compact(out)


def _last(values: list[str]) -> str:
    return values[-1] if values else ""


def _indices_ok(path: str) -> bool:
    return all(int(i) < MAX_INDEX for i in re.findall(r"\[(\d+)\]", path))


def _read(kind: str, values: list[str]) -> Any:
    if kind == "codes":
        codes = [v.strip() for v in values if v.strip()]
        return codes or None
    raw = _last(values)
    if kind == "split":
        parts = [p.strip() for p in raw.split(";") if p.strip()]
        return parts or None
    if kind in ("text", "url", "code", "choice"):
        value = raw.strip()
        if not value:
            return None
        if kind == "code" and value.isdigit() and len(value) < 3:
            return int(value)  # the EQF level is a number in the model
        return value
    if kind == "number":
        value = raw.strip().replace(",", ".") if _looks_decimal(raw) else raw.strip()
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            return raw.strip()  # kept as typed: the core names it invalid
        if not math.isfinite(number):  # "1e999", "nan": no JSON number; kept as typed
            return raw.strip()
        return int(number) if number.is_integer() and "." not in value else number
    if kind == "bool":
        return {"true": True, "false": False}.get(raw.strip())
    return raw if raw.strip() else None  # textarea


def _looks_decimal(raw: str) -> bool:
    """``2,5`` is 2.5 in most of Europe; ``1,000`` stays as typed (and is reported)."""
    return bool(re.fullmatch(r"\s*\d+,\d{1,2}\s*", raw))


def _put(out: dict[str, Any], parts: list[str | int], value: Any) -> None:
    node: Any = out
    for part, following in itertools.pairwise(parts):
        if isinstance(part, int):
            while len(node) <= part:
                node.append(None)
            if node[part] is None:
                node[part] = [] if isinstance(following, int) else {}
            node = node[part]
        else:
            if part not in node:
                node[part] = [] if isinstance(following, int) else {}
            node = node[part]
    last = parts[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def _compact(value: Any) -> Any:
    """Drop the gaps left by removed rows and the rows left empty."""
    if isinstance(value, dict):
        items = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in items.items() if v not in (None, {}, [])}
    if isinstance(value, list) and any(isinstance(v, dict | type(None)) for v in value):
        rows = [_compact(v) for v in value]
        return [r for r in rows if r not in (None, {}, [])]
    return value


# --- JSON -> what the page shows --------------------------------------------------------------


@dataclass
class Option:
    code: str
    label: str
    selected: bool = False
    unknown: bool = False


@dataclass
class FieldView:
    widget: Widget
    path: str
    id: str
    value: Any = None
    pairs: list[tuple[str, str]] = field(default_factory=list)  # multilingual texts
    missing: list[str] = field(default_factory=list)  # languages the others have
    options: list[Option] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    readonly: bool = False

    @property
    def label(self) -> Any:
        return self.widget.label

    @property
    def kind(self) -> str:
        return self.widget.kind


@dataclass
class RowView:
    index: int
    path: str
    id: str
    fields: list[FieldView]
    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class GroupView:
    group: Group
    id: str
    rows: list[RowView]
    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SectionView:
    section: Section
    items: list[FieldView | GroupView]
    #: (path, findings) for the section's own elements (``workload``, ``level``).
    slots: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)


@dataclass
class FormView:
    sections: list[SectionView]
    #: Every finding with the id of the element it is shown at (for the summary's links).
    summary: list[tuple[dict[str, Any], str]]
    languages: list[str]

    @property
    def errors(self) -> int:
        return sum(1 for f, _ in self.summary if f.get("severity") == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f, _ in self.summary if f.get("severity") != "error")


def used_languages(data: Mapping[str, Any]) -> list[str]:
    """Every language the specification has a text in, first seen first."""
    seen: dict[str, None] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if kind_of(path) == "lang":
                for tag in node:
                    if isinstance(tag, str) and tag and "?" not in tag:
                        seen.setdefault(tag, None)
                return
            for key, child in node.items():
                walk(child, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{path}[{i}]")

    walk(data, "")
    return list(seen)


def build(
    data: Mapping[str, Any],
    findings: Iterable[Mapping[str, Any]] = (),
    *,
    extra_rows: Mapping[str, int] | None = None,
    extra_langs: Iterable[str] = (),
    readonly_id: bool = False,
    options: Any = None,
) -> FormView:
    """What the page shows for ``data``, with each finding at the element it names.

    ``extra_rows`` adds empty rows to groups and ``extra_langs`` an empty language pair to
    multilingual texts (the buttons that work without JavaScript). ``options`` gives the
    vocabulary options (``vocab name -> [(code, label)]``).
    """
    from microcred_web.editor import pickers

    options = options or pickers.options
    extra_rows = dict(extra_rows or {})
    extra_langs = set(extra_langs)
    languages = used_languages(data)
    slots: list[tuple[str, list[dict[str, Any]]]] = []
    sections: list[SectionView] = []

    def field_view(widget: Widget, path: str, value: Any) -> FieldView:
        view = FieldView(widget, path, dom_id(path), readonly=readonly_id and path == "id")
        if widget.kind == "lang":
            text = value if isinstance(value, dict) else {}
            view.pairs = [(str(k), str(v)) for k, v in text.items()]
            if not view.pairs or path in extra_langs:
                view.pairs.append(("", ""))
            present = {k for k, _ in view.pairs if k}
            # An optional text left empty is not "missing" a language; one begun is.
            view.missing = [tag for tag in languages if present and tag not in present]
        elif widget.kind in ("code", "codes"):
            chosen = value if isinstance(value, list) else [] if value is None else [value]
            chosen_codes = [str(v) for v in chosen]
            known = options(widget.vocab or "")
            codes = {code for code, _ in known}
            view.options = [
                Option(str(c), str(c), True, True) for c in chosen_codes if c not in codes
            ]
            view.options += [Option(c, lbl, c in chosen_codes) for c, lbl in known]
        elif widget.kind in ("bool", "choice"):
            shown = "" if value is None else str(value).lower()
            choices = [(c, str(lbl)) for c, lbl in widget.choices]
            if shown and shown not in {c for c, _ in choices}:
                choices.insert(1, (shown, shown))
            view.options = [Option(c, lbl, c == shown) for c, lbl in choices]
        elif widget.kind == "split":
            view.value = "; ".join(str(v) for v in value) if isinstance(value, list) else value
        else:
            view.value = value
        slots.append((path, view.findings))
        return view

    for section in SECTIONS:
        sview = SectionView(section, [])
        for path in section.paths:
            bucket: list[dict[str, Any]] = []
            sview.slots.append((path, bucket))
            slots.append((path, bucket))
        for item in section.items:
            if isinstance(item, Group):
                rows_data = data.get(item.name)
                rows_list = rows_data if isinstance(rows_data, list) else []
                count = max(len(rows_list), 1 if not rows_list else 0) + extra_rows.get(
                    item.name, 0
                )
                gview = GroupView(item, dom_id(item.name), [])
                slots.append((item.name, gview.findings))
                for i in range(min(count, MAX_INDEX)):
                    row = rows_list[i] if i < len(rows_list) else {}
                    gview.rows.append(_row(item, i, row, field_view, slots))
                sview.items.append(gview)
            else:
                sview.items.append(field_view(item, item.name, _get(data, item.name)))
        sections.append(sview)
    findings = [dict(f) for f in findings]
    place(findings, slots, sections)
    known = [path for path, _ in slots]
    summary = []
    for finding in findings:
        target = slot_for(str(finding.get("path", "")), known)
        summary.append((finding, dom_id(target) if target else "editor-findings"))
    return FormView(sections, summary, languages)


def _row(group: Group, index: int, row: Any, field_view: Any, slots: Any) -> RowView:
    path = f"{group.name}[{index}]"
    row = row if isinstance(row, dict) else {}
    view = RowView(
        index,
        path,
        dom_id(path),
        [field_view(w, f"{path}.{w.name}", row.get(w.name)) for w in group.widgets],
    )
    slots.append((path, view.findings))
    return view


def _get(data: Mapping[str, Any], path: str) -> Any:
    node: Any = data
    for part in parse_path(path):
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def slot_for(path: str, known: Iterable[str]) -> str | None:
    """The longest known path that is ``path`` or one of its ancestors (``title.xx`` ->
    ``title``; ``learning_outcomes[0].text`` -> itself)."""
    best: str | None = None
    for candidate in known:
        if (
            path == candidate
            or path.startswith(candidate + ".")
            or path.startswith(candidate + "[")
        ) and (best is None or len(candidate) > len(best)):
            best = candidate
    return best


def place(
    findings: Iterable[Mapping[str, Any]],
    slots: list[tuple[str, list[dict[str, Any]]]],
    sections: list[SectionView],
) -> list[dict[str, Any]]:
    """Put each finding in the slot of the element it names; the rest are returned (and shown
    at the top of the form)."""
    by_path = {path: bucket for path, bucket in slots}
    rest = []
    for finding in findings:
        path = str(finding.get("path", ""))
        target = slot_for(path, by_path)
        if target is None:
            rest.append(dict(finding))
        else:
            by_path[target].append(dict(finding))
    return rest
