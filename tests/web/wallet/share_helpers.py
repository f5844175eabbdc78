"""Helpers of the share-page tests: make a link directly with the service, open its page."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from microcred_web.wallet import sharing

HOST = "issuer.example"


def link(learner: Any, **options: Any) -> tuple[Any, str]:
    """(share, path) of a new link of the learner's first entry (or ``options``' target)."""
    if "entry" not in options and "collection" not in options:
        options["entry"] = learner.entries[0]
    share, token = sharing.create_share(learner.account, **options)
    return share, f"/s/{token}/"


def open_page(client: Any, path: str, method: str = "get") -> Any:
    return getattr(client, method)(path, HTTP_HOST=HOST, secure=True)


class Head(HTMLParser):
    """The <meta> tags of a page, its inline JSON-LD blocks (there must be none: the CSP) and
    the addresses of the JSON-LD documents it links."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.ld_links: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta[key] = values.get("content") or ""
        if tag == "link" and values.get("type") == "application/ld+json":
            self.ld_links.append(values.get("href") or "")
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld[-1] += data


def head(html: str) -> Head:
    parser = Head()
    parser.feed(html)
    return parser


def linked_json_ld(client: Any, html: str) -> list[str]:
    """The JSON-LD documents a share page links, fetched as a crawler would."""
    parsed = head(html)
    assert parsed.json_ld == []  # never inline
    documents = []
    for href in parsed.ld_links:
        response = open_page(client, href)
        assert response.status_code == 200, href
        assert response["Content-Type"].startswith("application/ld+json")
        documents.append(response.content.decode())
    return documents
