"""The shipped contexts and the allow-list loader."""

from __future__ import annotations

from importlib import resources

import pytest

from microcred.credentials.errors import ContextNotAllowed, CredentialError
from microcred.credentials.loader import (
    SHIPPED_CONTEXTS,
    ContextLoader,
    default_loader,
    loader_with,
    read_shipped_context,
)
from tests.core.credentials.conftest import EXAMPLES_CONTEXT_URL, fixture_json, fixture_path


@pytest.mark.parametrize(
    "filename", sorted(p.name for p in fixture_path("contexts").iterdir() if p.is_file())
)
def test_shipped_context_equals_fixture_copy(filename: str) -> None:
    fixture = fixture_json("contexts", filename)
    if filename == "credentials-examples-v2.jsonld":
        assert filename not in SHIPPED_CONTEXTS.values()
        return
    urls = [url for url, name in SHIPPED_CONTEXTS.items() if name == filename]
    assert len(urls) == 1, f"{filename} is not shipped"
    assert read_shipped_context(urls[0]) == fixture


def test_every_shipped_file_parses_and_has_a_context() -> None:
    for url in SHIPPED_CONTEXTS:
        assert "@context" in read_shipped_context(url), url


def test_unknown_url_is_refused_with_its_name() -> None:
    with pytest.raises(ContextNotAllowed) as caught:
        default_loader()("https://evil.example/context.jsonld")
    assert caught.value.url == "https://evil.example/context.jsonld"
    assert caught.value.code == "context-not-allowed"
    assert isinstance(caught.value, CredentialError)


def test_urls_match_exactly() -> None:
    loader = default_loader()
    for near_miss in (
        "https://www.w3.org/ns/credentials/v2#",
        "https://www.w3.org/ns/credentials/v2/",
        "http://www.w3.org/ns/credentials/v2",
    ):
        with pytest.raises(ContextNotAllowed):
            loader(near_miss)


def test_product_loader_does_not_allow_the_examples_context() -> None:
    assert EXAMPLES_CONTEXT_URL not in default_loader().urls
    extended = loader_with({EXAMPLES_CONTEXT_URL: {"@context": {}}})
    assert EXAMPLES_CONTEXT_URL in extended.urls
    assert EXAMPLES_CONTEXT_URL not in default_loader().urls


def test_loader_returns_copies() -> None:
    loader = default_loader()
    first = loader("https://www.w3.org/ns/credentials/v2")["document"]
    first["@context"]["tampered"] = "https://evil.example/"
    again = loader("https://www.w3.org/ns/credentials/v2")["document"]
    assert "tampered" not in again["@context"]


def test_each_loader_has_its_own_resolved_cache() -> None:
    a = ContextLoader({})
    b = a.with_extra({"https://example.org/x": {"@context": {}}})
    assert a.resolved_cache is not b.resolved_cache


def test_licence_note_lists_every_shipped_file() -> None:
    note = resources.files("microcred.credentials.contexts").joinpath("LICENCES.md")
    text = note.read_text(encoding="utf-8")
    for filename in SHIPPED_CONTEXTS.values():
        assert f"`{filename}`" in text
