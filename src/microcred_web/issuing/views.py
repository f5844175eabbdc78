"""Public issuer endpoints: providers' DID documents and their signed status lists.

Both are public by design (verifiers fetch them) and hold no personal data: a DID document
lists public keys, a status list is a compressed bitstring.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from microcred_web.issuing import keys, status
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import ProviderKey, StatusPurpose
from microcred_web.register.models import Provider

DID_MEDIA_TYPE = "application/did+ld+json"
VC_MEDIA_TYPE = "application/vc+ld+json"


@require_GET
def did_document(request: HttpRequest, slug: str) -> JsonResponse:
    """``/providers/<slug>/did.json``: 404 until the provider has a key."""
    provider = get_object_or_404(Provider, slug=slug)
    if not ProviderKey.objects.filter(provider=provider).exists():
        raise Http404("this provider has no issuer identity yet")
    response = JsonResponse(keys.did_document(provider), content_type=DID_MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def status_list(request: HttpRequest, slug: str, purpose: str, number: int) -> JsonResponse:
    """``/status/<slug>/<purpose>/<n>``: the signed BitstringStatusListCredential."""
    if purpose not in StatusPurpose.values:
        raise Http404("unknown status purpose")
    record = status.find_list(slug, purpose, number)
    if record is None:
        raise Http404("no such status list")
    try:
        signed = status.signed_list(record)
    except IssuingError as exc:
        # Only a list left unsigned by an earlier version, on an instance without its KEK.
        response = JsonResponse({"code": exc.code, "detail": exc.message}, status=exc.status)
        response["Retry-After"] = "300"
        return response
    response = JsonResponse(signed, content_type=VC_MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=60"
    return response
