"""Catalogue pages: search, specification, provider, agency, and the indexes of providers and
agencies. Server-rendered; one small script (``catalogue/facets.js``) applies a ticked facet at
once, and the page works the same without it (the Apply button).

Views only translate between HTTP and the services: parsing and searching live in
:mod:`microcred_web.catalogue.services`, QA standing in the register services, words for codes
in :mod:`microcred_web.catalogue.labels`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from pydantic import ValidationError

from microcred.catalogue import (
    FACETS,
    FacetCount,
    Hit,
    SearchIndexError,
    SearchQuery,
    SearchQueryError,
    SearchResult,
)
from microcred.register.standing import Grade, Standing
from microcred.standard.model import MicroCredentialSpec
from microcred_web.catalogue import directory, labels, services
from microcred_web.register.models import Agency, Provider, QAResult, Specification
from microcred_web.register.qa_states import states_for
from microcred_web.register.services import provider_standing

logger = logging.getLogger("microcred_web.catalogue")

#: Values shown before "more" in a facet; the rest sit in a disclosure widget.
_FACET_SHOWN = 8
#: Specifications listed on a provider page; the rest are one click away in the catalogue.
_PROVIDER_SPECS = 200
_AGENCY_RESULTS = 500


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    input_id: str


@dataclass
class Facet:
    name: str
    label: str
    shown: list[FacetValue] = field(default_factory=list)
    more: list[FacetValue] = field(default_factory=list)


@dataclass
class HitView:
    hit: Hit
    provider_slug: str | None


def _base_context(request: HttpRequest) -> dict[str, Any]:
    return {"languages": labels.visitor_languages(request)}


def _not_found(request: HttpRequest, what: str, ident: str) -> HttpResponse:
    context = _base_context(request) | {"what": what, "ident": ident}
    return render(request, "catalogue/not_found.html", context, status=404)


# -- search page ----------------------------------------------------------------------------


def _providers_by_id(result: SearchResult) -> dict[str, tuple[str, str]]:
    """public id -> (name, slug) for the providers on this page and in the provider facet."""
    ids = {h.provider_id for h in result.hits}
    ids.update(fc.value for fc in result.facets.get("provider", []))
    rows = Provider.objects.filter(public_id__in=ids).only(
        "public_id", "slug", "display_name", "legal_name"
    )
    return {p.public_id: (p.name("en"), p.slug) for p in rows}


def _facets(
    result: SearchResult, query: SearchQuery, providers: dict[str, tuple[str, str]]
) -> list[Facet]:
    names = {pid: name for pid, (name, _slug) in providers.items()}
    facets = []
    for name in FACETS:
        counts: list[FacetCount] = result.facets.get(name, [])
        if not counts:
            continue
        selected = set(query.filters.get(name, ()))
        facet = Facet(name, labels.FACET_LABELS.get(name, name))
        for i, fc in enumerate(counts):
            value = FacetValue(
                fc.value,
                labels.facet_value_label(name, fc.value, names),
                fc.count,
                fc.value in selected,
                f"f-{name}-{i}",
            )
            if i < _FACET_SHOWN or value.selected:
                facet.shown.append(value)
            else:
                facet.more.append(value)
        facets.append(facet)
    return facets


def _active_filters(
    request: HttpRequest, query: SearchQuery, providers: dict[str, tuple[str, str]]
) -> list[dict[str, str]]:
    """Each selected value with a link that removes it, for a quick way back."""
    names = {pid: name for pid, (name, _slug) in providers.items()}
    active = []
    for facet, values in query.filters.items():
        for value in values:
            params = request.GET.copy()
            params.setlist(facet, [v for v in params.getlist(facet) if v.strip() != value])
            params.pop("page", None)
            active.append(
                {
                    "facet": labels.FACET_LABELS.get(facet, facet),
                    "value": labels.facet_value_label(facet, value, names),
                    "remove": "?" + params.urlencode(),
                }
            )
    return active


def _page_numbers(page: int, pages: int) -> list[int | None]:
    """First, last, and two either side of the current page; None marks a gap."""
    wanted = {1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)}
    numbers: list[int | None] = []
    last = 0
    for n in sorted(wanted):
        if n - last > 1:
            numbers.append(None)
        numbers.append(n)
        last = n
    return numbers


def search_page(request: HttpRequest) -> HttpResponse:
    """``/catalogue/``: search box, facets with counts, results, pagination."""
    context = _base_context(request) | {
        "q": request.GET.get("q", ""),
        "ects_min": request.GET.get("ects_min", ""),
        "ects_max": request.GET.get("ects_max", ""),
        "sort": request.GET.get("sort", "relevance"),
        "sort_labels": labels.SORT_LABELS,
        "lang_param": request.GET.get("lang", ""),
    }
    try:
        query = services.parse_query(request.GET)
        result = services.search(query)
    except SearchQueryError as exc:
        context["error"] = str(exc)
        return render(request, "catalogue/search.html", context, status=400)
    except SearchIndexError:
        logger.exception("catalogue search failed")
        context["unavailable"] = True
        return render(request, "catalogue/search.html", context, status=503)
    providers = _providers_by_id(result)
    context |= {
        "query": query,
        "result": result,
        "hits": [HitView(h, providers.get(h.provider_id, ("", None))[1]) for h in result.hits],
        "facets": _facets(result, query, providers),
        "active": _active_filters(request, query, providers),
        "page_numbers": _page_numbers(query.page, result.pages),
        "first": query.offset + 1,
        "last": query.offset + len(result.hits),
        # Past the last page: said so, with a link to the last page, as a 404 (the address
        # names no page that exists) rather than "showing 1961 to 1960".
        "past_end": query.page > result.pages,
    }
    status = 404 if context["past_end"] else 200
    return render(request, "catalogue/search.html", context, status=status)


# -- specification page ---------------------------------------------------------------------


def qa_statement(standing: Standing) -> tuple[str, str]:
    """(heading, sentence) for a QA standing, e.g. ("Quality assured", "Institutional review
    by NVAO, positive, valid until 2029-05-31")."""
    if standing.grade is Grade.ASSURED:
        heading = _("Quality assured")
    elif standing.quality_assured:
        heading = _("Quality assured, with a caveat")
    else:
        heading = _("Not quality assured today")
    return heading, standing.reason[:1].upper() + standing.reason[1:]


def specification_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """Every Annex I element of a published specification, and the provider's QA today."""
    spec = Specification.objects.select_related("provider").filter(public_id=public_id).first()
    if spec is not None and spec.status == Specification.Status.WITHDRAWN:
        from microcred_web.editor.public import withdrawn_page  # says when and why

        return withdrawn_page(request, spec)
    if spec is None or not spec.in_catalogue:
        return _not_found(request, "micro-credential", public_id)
    try:
        model = MicroCredentialSpec.model_validate(spec.data)
    except ValidationError:
        logger.exception("stored specification %s does not parse", public_id)
        return _not_found(request, "micro-credential", public_id)
    standing = provider_standing(spec.provider, None, spec)
    heading, sentence = qa_statement(standing)
    context = _base_context(request) | {
        "spec": spec,
        "m": model,
        "provider": spec.provider,
        "standing": standing,
        "qa_heading": heading,
        "qa_sentence": sentence,
        "qa_agency": directory.agency_of(standing),
        "hours_per_ects": (
            model.workload.hours / model.workload.ects
            if model.workload and model.workload.hours and model.workload.ects
            else None
        ),
    }
    return render(request, "catalogue/specification.html", context)


# -- provider and agency pages ----------------------------------------------------------------


def _with_states(results: list[QAResult], today: date) -> list[QAResult]:
    """Mark each QA result current, superseded, expired, not yet valid or withdrawn on
    ``today``, for the history (the register's rule: :mod:`~microcred_web.register.qa_states`)."""
    states = states_for(results, today)
    for result in results:
        result.state = states[result.pk].state  # type: ignore[attr-defined]
        result.superseded_by = states[result.pk].superseded_by  # type: ignore[attr-defined]
    return results


def provider_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A provider: who it is, its QA history and standing today, its published specifications."""
    provider = Provider.objects.filter(slug=slug).first()
    if provider is None:
        from microcred_web.operator.merging import merged_into  # a merged duplicate's page

        kept = merged_into(slug)
        if kept is not None:
            return HttpResponsePermanentRedirect(reverse("catalogue:provider", args=[kept.slug]))
        return _not_found(request, "provider", slug)
    today = date.today()
    standing = provider_standing(provider, today)
    heading, sentence = qa_statement(standing)
    results = (
        provider.qa_results.select_related("agency")
        .prefetch_related("covered_specifications", "providers")
        .order_by("-valid_from", "pk")
    )
    specs = provider.specifications.filter(
        status=Specification.Status.PUBLISHED, has_errors=False
    ).order_by("title_en", "pk")
    context = _base_context(request) | {
        "provider": provider,
        "standing": standing,
        "qa_heading": heading,
        "qa_sentence": sentence,
        "qa_agency": directory.agency_of(standing),
        "results": _with_states(list(results), today),
        "relations": list(provider.relations.select_related("target")),
        "specs": list(specs[:_PROVIDER_SPECS]),
        "spec_count": specs.count(),
        "spec_limit": _PROVIDER_SPECS,
    }
    return render(request, "catalogue/provider.html", context)


def agency_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A QA agency: countries, EQAR registration, ESG activities, the results it recorded."""
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        return _not_found(request, "agency", slug)
    results = agency.results.prefetch_related("providers").order_by("-valid_from", "pk")
    context = _base_context(request) | {
        "agency": agency,
        "results": _with_states(list(results[:_AGENCY_RESULTS]), date.today()),
        "result_count": results.count(),
        "result_limit": _AGENCY_RESULTS,
    }
    return render(request, "catalogue/agency.html", context)


# -- indexes of providers and agencies ------------------------------------------------------


def _index_page(request: HttpRequest, template: str, kind: str) -> HttpResponse:
    """``/providers/`` or ``/agencies/``: a name search and pages; a bad parameter is a 400
    naming it, a page past the end a 404 with a link to the last page."""
    context = _base_context(request) | {"q": request.GET.get("q", "")[: directory.MAX_QUERY]}
    try:
        q = directory.parse_q(request.GET.get("q"))
        page = directory.parse_page(request.GET.get("page"))
    except directory.DirectoryQueryError as exc:
        context["error"] = str(exc)
        return render(request, template, context, status=400)
    index = directory.providers(q, page) if kind == "providers" else directory.agencies(q, page)
    context |= {
        "index": index,
        "page_numbers": _page_numbers(index.page, index.pages) if index.pages > 1 else [],
    }
    return render(request, template, context, status=404 if index.past_end else 200)


def providers_index(request: HttpRequest) -> HttpResponse:
    """Every provider in the register, by name, with its country and QA standing today."""
    return _index_page(request, "catalogue/providers.html", "providers")


def agencies_index(request: HttpRequest) -> HttpResponse:
    """Every QA agency in the register, by acronym, with its countries and EQAR registration."""
    return _index_page(request, "catalogue/agencies.html", "agencies")
