"""The public page of a withdrawn specification: that it was withdrawn, when and why.

Why a page and not the catalogue's 404: a learner or employer following a link from a
credential deserves to learn that the offer ended (and that issued credentials stay valid),
not that it never existed. 410 Gone says the same to machines.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from microcred_web.editor.services import withdrawal_of
from microcred_web.register.models import Specification


def withdrawn_page(request: HttpRequest, spec: Specification) -> HttpResponse:
    context = {
        "spec": spec,
        "withdrawal": withdrawal_of(spec),
        "provider_url": reverse("catalogue:provider", args=[spec.provider.slug]),
    }
    return render(request, "editor/withdrawn_public.html", context, status=410)
