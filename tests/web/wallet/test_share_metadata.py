# ruff: noqa: F811 (pytest fixtures imported from fixtures_share)
"""The share page's metadata: Open Graph, Twitter card, schema.org JSON-LD, robots, and the
"Add to LinkedIn profile" link — describing the credential, never the learner."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from microcred_web.wallet import share_page
from tests.web.wallet.fixtures_share import (  # noqa: F401 (fixtures)
    Learner,
    _fresh_rate_limits,
    ada,
    issuing_settings,
    world,
)
from tests.web.wallet.share_helpers import head, link, linked_json_ld, open_page


def test_open_graph_and_twitter_tags_describe_the_credential(client: Any, ada: Learner) -> None:
    _share, path = link(ada)
    html = open_page(client, path).content.decode()
    meta = head(html).meta
    assert meta["og:title"] == "Data stewardship basics"
    assert meta["og:type"] == "website"
    assert meta["og:url"] == f"https://issuer.example{path}"
    assert meta["og:site_name"] == "microcred"
    assert "North Sea University" in meta["og:description"]
    assert "5 ECTS" in meta["og:description"] and "EQF level 7" in meta["og:description"]
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:title"] == meta["og:title"]
    # The learner is named on the page (the credential's Learner element) but in no preview.
    assert "Ada Lovelace" in html
    assert all("Ada" not in value and "ada@" not in value for value in meta.values())


def test_the_json_ld_is_a_schema_org_credential(client: Any, ada: Learner) -> None:
    _share, path = link(ada)
    html = open_page(client, path).content.decode()
    blocks = linked_json_ld(client, html)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EducationalOccupationalCredential"
    assert data["name"] == "Data stewardship basics"
    assert data["description"] == "Plan, document and share research data."
    assert data["credentialCategory"] == "micro-credential"
    assert data["educationalLevel"]["termCode"] == "7"
    assert data["recognizedBy"] == {
        "@type": "Organization",
        "name": "North Sea University",
        "url": "https://issuer.example/providers/north-sea-university/",
    }
    assert data["url"] == f"https://issuer.example{path}"
    assert "Ada" not in blocks[0]


def test_the_json_ld_is_served_beside_the_page_and_counts_no_view(
    client: Any, ada: Learner
) -> None:
    share, path = link(ada)
    html = open_page(client, path).content.decode()
    assert head(html).ld_links == [f"{path}schema.jsonld"]
    response = open_page(client, f"{path}schema.jsonld")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    share.refresh_from_db()
    assert share.views == 1  # the page, not its metadata


def test_a_collection_is_an_item_list(client: Any, ada: Learner) -> None:
    collection = ada.collection("For my employer", ada.entries)
    _share, path = link(ada, collection=collection)
    data = json.loads(linked_json_ld(client, open_page(client, path).content.decode())[0])
    assert data["@type"] == "ItemList" and data["numberOfItems"] == 2
    names = {item["item"]["name"] for item in data["itemListElement"]}
    assert names == {"Data stewardship basics"}  # both specifications share the fixture title
    assert all(
        i["item"]["@type"] == "EducationalOccupationalCredential" for i in data["itemListElement"]
    )


def test_noindex_by_default_and_index_on_opt_in(client: Any, ada: Learner) -> None:
    _share, hidden = link(ada)
    response = open_page(client, hidden)
    assert head(response.content.decode()).meta["robots"] == "noindex, nofollow"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    _share, listed = link(ada, indexable=True)
    response = open_page(client, listed)
    assert head(response.content.decode()).meta["robots"] == "index, follow"
    assert response["X-Robots-Tag"] == "index, follow"
    assert open_page(client, hidden + "credential.json")["X-Robots-Tag"] == "noindex, nofollow"


def test_the_linkedin_link_fills_in_the_certification(client: Any, ada: Learner) -> None:
    _share, path = link(ada)
    html = open_page(client, path).content.decode()
    href = html.split('id="linkedin-add"')[0].rsplit('href="', 1)[1].split('"')[0]
    href = href.replace("&amp;", "&")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    credential = ada.entries[0].issued.credential
    issued = ada.entries[0].issued.issued_at
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Data stewardship basics",
        "organizationName": "North Sea University",
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "certUrl": f"https://issuer.example{path}",
        "certId": credential["id"],
    }


def test_no_linkedin_link_for_a_credential_that_does_not_verify(
    client: Any, ada: Learner, world: Any
) -> None:
    from microcred_web.issuing import status

    _share, path = link(ada)
    assert 'id="linkedin-add"' in open_page(client, path).content.decode()
    status.set_status(world.users["staff_a"], ada.entries[0].issued, "revoke", "test")
    assert 'id="linkedin-add"' not in open_page(client, path).content.decode()


def test_the_linkedin_link_has_the_expiry_when_the_credential_has_one() -> None:
    from datetime import UTC, datetime

    url = share_page.linkedin_url(
        name="X",
        organization="Y",
        issued=datetime(2025, 3, 1, tzinfo=UTC),
        valid_until=datetime(2028, 11, 30, tzinfo=UTC),
        cert_url="https://h/s/t/",
        cert_id="urn:1",
    )
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["expirationYear"] == "2028" and query["expirationMonth"] == "11"
    assert query["issueYear"] == "2025" and query["issueMonth"] == "3"
