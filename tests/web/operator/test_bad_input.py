"""Garbage in every field of every operator form and of the public form: a 4xx page with
the message, never a 500, and nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import Agency

from .conftest import IssuingWorld, signed_in

GARBAGE = ["\x00", "x" * 5000, "💥" * 300, "<script>alert(1)</script>", " ", "-1", "None"]


def _forms(world: IssuingWorld, request_id: str) -> list[tuple[str, list[str]]]:
    slug = world.provider_a.slug
    pk = world.users["nobody"].pk
    return [
        (
            "/register-organisation/",
            [
                "legal_name",
                "name_language",
                "slug",
                "kind",
                "country",
                "city",
                "website",
                "national_id",
                "erasmus_code",
                "contact_name",
                "contact_email",
                "message",
            ],
        ),
        (f"/operator/requests/{request_id}/approve", ["slug"]),
        (
            f"/operator/providers/{slug}/",
            [
                "slug",
                "legal_name",
                "kind",
                "country",
                "city",
                "website",
                "national_id",
                "erasmus_code",
                "schac",
                "deqar_id",
                "eidas_id",
            ],
        ),
        (f"/operator/providers/{slug}/merge", ["duplicate", "reason", "confirm"]),
        (
            "/operator/agencies/nvao/",
            [
                "slug",
                "name",
                "acronym",
                "countries",
                "website",
                "eqar_registered_since",
                "eqar_registered_until",
            ],
        ),
        (f"/operator/accounts/{pk}/grant", ["role", "organisation"]),
        ("/operator/emergency/", ["credential", "action", "reason", "confirm"]),
    ]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_no_form_answers_500(
    client: Any, world: IssuingWorld, pending_request: Any, garbage: str, settings: Any
) -> None:
    settings.MICROCRED_RATE_LIMITS = settings.MICROCRED_RATE_LIMITS | {
        "register-organisation": "off"
    }
    Agency.objects.create(slug="nvao", name={"en": "NVAO"}, acronym="NVAO")
    signed_in(client, world.users["operator"])
    before = AuditEvent.objects.count()
    for url, fields in _forms(world, pending_request.public_id):
        response = client.post(url, dict.fromkeys(fields, garbage))
        assert 400 <= response.status_code < 500, (url, garbage[:10], response.status_code)
    audit = client.get(
        "/operator/audit/",
        dict.fromkeys(
            ["actor", "action", "record_type", "record", "interface", "since", "until", "page"],
            garbage,
        ),
    )
    assert audit.status_code in (200, 422)
    for url in (
        "/operator/providers/",
        "/operator/agencies/",
        "/operator/accounts/",
        "/operator/emergency/",
        "/operator/requests/",
    ):
        assert client.get(url, {"q": garbage, "page": garbage, "status": garbage}).status_code in (
            200,
            404,
        ), url
    assert AuditEvent.objects.count() == before
