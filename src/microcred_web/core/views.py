"""HTML pages of the core app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


#: JSON-LD contexts this instance publishes itself: path -> context URL in the package's
#: allow-list. The signed credentials name the context by URL; serving the very same file here
#: lets anyone dereference it, while verifiers keep using their shipped copy.
PUBLISHED_CONTEXTS = {"ns/credentials/v1": "https://microcred.eu/ns/credentials/v1"}


def jsonld_context(request: HttpRequest, name: str) -> HttpResponse:
    from django.http import Http404, JsonResponse

    from microcred.credentials.loader import read_shipped_context

    url = PUBLISHED_CONTEXTS.get(name)
    if url is None:
        raise Http404("no such context")
    response = JsonResponse(read_shipped_context(url), json_dumps_params={"indent": 2})
    response["Content-Type"] = "application/ld+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response
