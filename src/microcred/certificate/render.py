"""Certificate model in, PDF bytes out (WeasyPrint, PDF/UA-1).

Why these choices (docs/decisions/0016-pdf-certificate.md): WeasyPrint lays out HTML and
CSS, which the web layer already speaks, and writes a tagged PDF/UA-1 (structure tree, /Lang,
/MarkInfo) with embedded font subsets; the fonts are shipped with the package (DejaVu, see
``fonts/LICENSE-DejaVu.txt``) so the output does not depend on the machine's fonts. The QR
code is segno's SVG, drawn as vectors, so it scans at any print resolution.

One page, always: the page is laid out at decreasing text sizes until it fits; if the smallest
still does not, learning outcomes are left out from the end with a note saying so (the full
list is in the attached credential). Very long texts are shortened before layout.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from typing import Any

import pydyf
import segno
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from microcred.certificate.model import Certificate

#: The name of the attached signed credential.
ATTACHMENT_NAME = "credential.json"
#: Text sizes tried, largest first (a factor of the base sizes of the stylesheet).
SCALES = (1.0, 0.9, 0.8, 0.72, 0.64)
#: Longest texts laid out as they are; longer ones end in "…" with the ``shortened`` note.
MAX_TITLE = 220
MAX_NAME = 120
MAX_PROVIDER = 160
MAX_OUTCOME = 320
MAX_QA = 600
#: Most outcomes ever listed on the page (the rest: the ``more_outcomes`` note).
MAX_OUTCOMES = 14

_FONTS = resources.files("microcred.certificate") / "fonts"

STYLE = """
@font-face { font-family: "Certificate Sans"; src: url("DejaVuSans.ttf"); font-weight: 400; }
@font-face { font-family: "Certificate Sans"; src: url("DejaVuSans-Bold.ttf"); font-weight: 700; }
@font-face { font-family: "Certificate Serif"; src: url("DejaVuSerif-Bold.ttf"); font-weight: 700; }
@page {
  size: A4; margin: 11mm; padding: 18mm 14mm 8mm;
  border: 4.5pt double #1d3b6e;
}
html { font-family: "Certificate Sans"; color: #1f2937; }
main, header { font-size: calc(11pt * var(--scale)); }
body { margin: 0; }
header { text-align: center; }
.kind { font-size: 0.85em; letter-spacing: 0.28em; text-transform: uppercase; color: #8a6d1f;
  margin: 0; font-weight: 700; }
h1 { font-family: "Certificate Serif"; font-weight: 700; color: #1d3b6e;
  font-size: 3.1em; margin: 0.15em 0 0.1em; letter-spacing: 0.04em; }
.rule { height: 0; border-top: 1pt solid #c9a84a; width: 38%; margin: 0.7em auto 1.8em; }
.lead { text-align: center; margin: 0.7em 0 0.3em; font-size: 1.1em; color: #4b5563; }
.name { text-align: center; font-family: "Certificate Serif"; font-weight: 700;
  font-size: 2.7em; margin: 0.15em 0 0.3em; color: #111827; }
.title { text-align: center; font-family: "Certificate Serif"; font-weight: 700;
  font-size: 1.9em; color: #1d3b6e; margin: 0.15em 0 0.3em; line-height: 1.25; }
.provider { text-align: center; margin: 0.5em 0 1.6em; font-size: 1.15em; }
.provider strong { color: #111827; }
table.facts { width: 100%; border-collapse: collapse; margin: 0 0 1.1em; }
.facts th, .facts td { text-align: center; padding: 0.35em 0.4em;
  border-left: 0.6pt solid #d1d5db; }
.facts th:first-child, .facts td:first-child { border-left: none; }
.facts th { font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.1em; color: #6b7280;
  font-weight: 400; }
.facts td { font-size: 1.1em; font-weight: 700; color: #111827; }
.facts { border-top: 0.8pt solid #c9a84a; border-bottom: 0.8pt solid #c9a84a; }
h2 { font-size: 1em; color: #1d3b6e; margin: 1.3em 0 0.45em; text-transform: uppercase;
  letter-spacing: 0.1em; }
ul.outcomes { margin: 0; padding-left: 1.3em; line-height: 1.35; }
ul.outcomes li { margin: 0 0 0.25em; }
.note { font-size: 0.85em; color: #6b7280; margin: 0.3em 0 0; }
.qa { margin: 0; line-height: 1.35; }
/* The page area is about 250 mm high (A4 less margins, padding and border): the footer
   (38 mm) sits at its bottom as long as the rest is shorter than the minimum height below,
   and is pushed to a second page (which the renderer detects and avoids) when longer. */
.content { min-height: 200mm; }
footer { height: 36mm; break-inside: avoid; overflow: hidden;
  padding-top: 4mm; border-top: 0.8pt solid #c9a84a; font-size: 10pt; }
footer img { float: left; width: 32mm; height: 32mm; margin-right: 6mm; }
.verify { padding-top: 5mm; }
.verify p { margin: 0 0 0.35em; }
.scan { font-weight: 700; color: #1d3b6e; font-size: 1.05em; }
.url { font-size: 0.8em; color: #374151; word-break: break-all; }
"""


def _shorten(text: str, limit: int) -> tuple[str, bool]:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


def _prepared(cert: Certificate) -> tuple[Certificate, bool, int]:
    """The certificate with over-long texts shortened, whether any was, and how many outcomes
    were left out to stay under :data:`MAX_OUTCOMES`."""
    shortened = False

    def cut(text: str | None, limit: int) -> str | None:
        nonlocal shortened
        if text is None:
            return None
        value, cut_here = _shorten(text, limit)
        shortened = shortened or cut_here
        return value

    outcomes = [cut(o, MAX_OUTCOME) or "" for o in cert.outcomes[:MAX_OUTCOMES]]
    left_out = max(0, len(cert.outcomes) - MAX_OUTCOMES)
    prepared = replace(
        cert,
        title=cut(cert.title, MAX_TITLE) or "",
        provider=cut(cert.provider, MAX_PROVIDER) or "",
        learner_name=cut(cert.learner_name, MAX_NAME),
        qa_statement=cut(cert.qa_statement, MAX_QA),
        outcomes=tuple(outcomes),
    )
    return prepared, shortened, left_out


def _qr_uri(url: str) -> str:
    # Error correction M and the standard quiet zone of 4 modules: robust once printed.
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=4))


def page_html(
    cert: Certificate,
    scale: float = 1.0,
    outcomes: Sequence[str] | None = None,
    left_out: int = 0,
    shortened: bool = False,
) -> str:
    """The HTML of the page (escaped), laid out at ``scale`` with ``outcomes`` listed."""
    e = html.escape
    labels = cert.labels
    listed = list(cert.outcomes if outcomes is None else outcomes)
    parts = [
        f'<!DOCTYPE html><html lang="{e(cert.lang)}" style="--scale: {scale}"><head>',
        '<meta charset="utf-8">',
        f"<title>{e(labels.document_title.format(title=cert.title))}</title>",
        f'<meta name="author" content="{e(cert.provider)}">',
        '<meta name="generator" content="microcred">',
        '</head><body><div class="content"><header>',
        f'<p class="kind">{e(labels.kind)}</p>',
        f"<h1>{e(labels.heading)}</h1>",
        '<div class="rule"></div></header><main>',
    ]
    if cert.learner_name:
        parts += [
            f'<p class="lead">{e(labels.certifies)}</p>',
            f'<p class="name">{e(cert.learner_name)}</p>',
            f'<p class="lead">{e(labels.completed)}</p>',
        ]
    else:
        parts.append(f'<p class="lead">{e(labels.awarded)}</p>')
    parts += [
        f'<p class="title">{e(cert.title)}</p>',
        f'<p class="provider">{e(labels.awarded_by)} <strong>{e(cert.provider)}</strong></p>',
    ]
    facts = [(labels.issued, cert.issued_on)]
    if cert.achieved_on and cert.achieved_on != cert.issued_on:
        facts.append((labels.achieved, cert.achieved_on))
    facts += [
        (labels.ects, cert.ects or labels.not_stated),
        (labels.eqf, cert.eqf or labels.not_stated),
    ]
    parts.append('<table class="facts"><thead><tr>')
    parts += [f'<th scope="col">{e(name)}</th>' for name, _ in facts]
    parts.append("</tr></thead><tbody><tr>")
    parts += [f"<td>{e(value)}</td>" for _, value in facts]
    parts.append("</tr></tbody></table>")
    if listed or left_out:
        parts.append(f"<h2>{e(labels.outcomes)}</h2>")
        if listed:
            parts.append('<ul class="outcomes">')
            parts += [f"<li>{e(text)}</li>" for text in listed]
            parts.append("</ul>")
        if left_out:
            parts.append(f'<p class="note">{e(labels.more_outcomes.format(count=left_out))}</p>')
    if cert.qa_statement:
        parts += [f"<h2>{e(labels.qa)}</h2>", f'<p class="qa">{e(cert.qa_statement)}</p>']
    if shortened:
        parts.append(f'<p class="note">{e(labels.shortened)}</p>')
    alt = labels.qr_alt.format(url=cert.verify_url)
    parts += [
        "</main></div><footer>",
        f'<img src="{_qr_uri(cert.verify_url)}" alt="{e(alt)}">',
        '<div class="verify">',
        f'<p class="scan">{e(labels.scan)}</p>',
        f'<p class="url"><a href="{e(cert.verify_url)}">{e(cert.verify_url)}</a></p>',
        f'<p class="note">{e(labels.attached)}</p>',
        "</div></footer></body></html>",
    ]
    return "".join(parts)


def _associate_files(document: Any, pdf: pydyf.PDF) -> None:
    """Mark the attached credential as the document's source (PDF 2.0 / PDF/A-3 ``/AF``
    with ``/AFRelationship /Source``): readers list it as what the page was made from."""
    files = []
    for pdf_object in pdf.objects:
        if isinstance(pdf_object, pydyf.Dictionary) and pdf_object.get("Type") == "/Filespec":
            pdf_object["AFRelationship"] = "/Source"
            files.append(pdf_object.reference)
    if files:
        pdf.catalog["AF"] = pydyf.Array(files)


def _layout(
    cert: Certificate,
    scale: float,
    outcomes: Sequence[str],
    left_out: int,
    shortened: bool,
    fonts: FontConfiguration,
    css: CSS,
) -> Any:
    source = page_html(cert, scale, outcomes, left_out, shortened)
    return HTML(string=source, base_url=str(_FONTS) + "/").render(
        stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1"
    )


def render_pdf(cert: Certificate) -> bytes:
    """The certificate as one A4 page of tagged PDF/UA-1 with ``credential.json`` attached."""
    prepared, shortened, left_out = _prepared(cert)
    fonts = FontConfiguration()
    css = CSS(string=STYLE, base_url=str(_FONTS) + "/", font_config=fonts)
    outcomes = list(prepared.outcomes)
    document = None
    for scale in SCALES:
        document = _layout(prepared, scale, outcomes, left_out, shortened, fonts, css)
        if len(document.pages) == 1:
            break
    while document is not None and len(document.pages) > 1 and outcomes:
        outcomes.pop()
        left_out += 1
        document = _layout(prepared, SCALES[-1], outcomes, left_out, shortened, fonts, css)
    assert document is not None
    attachment = Attachment(
        string=cert.credential_json,
        name=ATTACHMENT_NAME,
        description="The signed credential (W3C Verifiable Credential / Open Badges 3.0)",
        relationship="Source",
    )
    pdf = document.write_pdf(
        attachments=[attachment],
        pdf_variant="pdf/ua-1",
        finisher=_associate_files,
    )
    return bytes(pdf)
