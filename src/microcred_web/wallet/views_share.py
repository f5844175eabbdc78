"""Share links: the learner's pages to make, list and revoke them, and the public page.

Thin: the rules are in :mod:`microcred_web.wallet.sharing` and
:mod:`microcred_web.wallet.share_page`.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST

from microcred_web.catalogue import labels
from microcred_web.security.limits import rate_limit
from microcred_web.wallet import share_page, sharing
from microcred_web.wallet.access import learner_required
from microcred_web.wallet.forms_share import ShareForm
from microcred_web.wallet.models import LearnerAccount, ShareLink

# --- the learner's pages ---------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@learner_required
def share_list(request: HttpRequest, account: LearnerAccount) -> HttpResponse:
    languages = _languages(request)
    rows = [
        (
            share,
            sharing.state_of(share),
            share_page.entry_title(share.entry, languages) if share.entry is not None else "",
        )
        for share in sharing.shares_of(account)
    ]
    return render(request, "wallet/share_list.html", {"rows": rows})


def _new(
    request: HttpRequest, account: LearnerAccount, target: Any, what: dict[str, Any]
) -> HttpResponse:
    form = ShareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            expires = sharing.expiry_at(form.cleaned_data["expires"])
        except sharing.ShareError as error:
            form.add_error(error.field, error.message)
        else:
            share, token = sharing.create_share(
                account,
                label=form.cleaned_data["label"].strip(),
                expires=expires,
                indexable=form.cleaned_data["indexable"],
                **what,
            )
            response = render(
                request,
                "wallet/share_created.html",
                {"share": share, "url": sharing.share_url(token), "target": target},
            )
            # The address is shown this once: no cache may keep a copy of it.
            patch_cache_control(response, no_store=True, private=True)
            return response
    status = 400 if request.method == "POST" else 200
    return render(request, "wallet/share_new.html", {"form": form, "target": target}, status=status)


@require_http_methods(["GET", "POST"])
@learner_required
def share_entry(request: HttpRequest, account: LearnerAccount, entry: uuid.UUID) -> HttpResponse:
    found = sharing.own_entry(account, entry)
    if found is None:
        raise Http404
    target = {"kind": "entry", "name": share_page.entry_title(found, _languages(request))}
    return _new(request, account, target, {"entry": found})


@require_http_methods(["GET", "POST"])
@learner_required
def share_collection(
    request: HttpRequest, account: LearnerAccount, collection: uuid.UUID
) -> HttpResponse:
    found = sharing.own_collection(account, collection)
    if found is None:
        raise Http404
    target = {"kind": "collection", "name": found.name}
    return _new(request, account, target, {"collection": found})


@require_POST
@learner_required
def share_revoke(request: HttpRequest, account: LearnerAccount, share: uuid.UUID) -> HttpResponse:
    if not sharing.revoke_share(account, share):
        raise Http404
    return redirect("wallet:shares")


# --- the public page -----------------------------------------------------------------------


def _languages(request: HttpRequest) -> list[str]:
    return labels.visitor_languages(request)


def _live(token: str) -> ShareLink:
    """The live link of ``token`` or the one 404 (unknown, expired, revoked look the same)."""
    share = sharing.find_share(token)
    if share is None:
        raise Http404
    return share


def _public(request: HttpRequest, share: ShareLink, response: HttpResponse) -> HttpResponse:
    """What every public answer of a link carries: robots, no shared caching, one view."""
    response["X-Robots-Tag"] = share_page.INDEX if share.indexable else share_page.NOINDEX
    patch_cache_control(response, no_cache=True, max_age=0, private=True)
    if request.method == "GET" and response.status_code == 200:
        sharing.count_view(share)
    return response


def _page(request: HttpRequest, share: ShareLink, page: share_page.SharePage) -> HttpResponse:
    context = {"page": page, "languages": page.languages, "meta": page.meta}
    return _public(request, share, render(request, "wallet/share_page.html", context))


@require_http_methods(["GET", "HEAD"])
@rate_limit("share-page")
def share(request: HttpRequest, token: str) -> HttpResponse:
    found = _live(token)
    page = share_page.build(found, token, _languages(request), sharing.entries_shown(found))
    return _page(request, found, page)


@require_http_methods(["GET", "HEAD"])
@rate_limit("share-page")
def share_item(request: HttpRequest, token: str, entry: uuid.UUID) -> HttpResponse:
    found = _live(token)
    item = sharing.entry_shown(found, entry)
    if item is None:
        raise Http404
    page = share_page.build(found, token, _languages(request), [item], focus=item)
    return _page(request, found, page)


def _schema(share: ShareLink, page: share_page.SharePage) -> HttpResponse:
    """The page's schema.org JSON-LD (linked from its head); not a view of the page."""
    response = HttpResponse(
        json.dumps(page.meta.ld, ensure_ascii=False),
        content_type="application/ld+json; charset=utf-8",
    )
    response["X-Robots-Tag"] = share_page.INDEX if share.indexable else share_page.NOINDEX
    patch_cache_control(response, no_cache=True, max_age=0, private=True)
    return response


@require_http_methods(["GET", "HEAD"])
@rate_limit("share-page")
def share_schema(request: HttpRequest, token: str) -> HttpResponse:
    found = _live(token)
    return _schema(
        found, share_page.build(found, token, _languages(request), sharing.entries_shown(found))
    )


@require_http_methods(["GET", "HEAD"])
@rate_limit("share-page")
def share_item_schema(request: HttpRequest, token: str, entry: uuid.UUID) -> HttpResponse:
    found = _live(token)
    item = sharing.entry_shown(found, entry)
    if item is None:
        raise Http404
    return _schema(found, share_page.build(found, token, _languages(request), [item], focus=item))


def _download(request: HttpRequest, share: ShareLink, entry: Any) -> HttpResponse:
    credential = sharing.credential_of(entry) if entry is not None else None
    if credential is None:
        raise Http404
    response = HttpResponse(
        json.dumps(credential, ensure_ascii=False, indent=2) + "\n",
        content_type="application/ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="credential-{entry.public_id}.json"'
    # A download is not a view of the page: only the page counts.
    response["X-Robots-Tag"] = share_page.NOINDEX
    patch_cache_control(response, no_cache=True, max_age=0, private=True)
    return response


@require_http_methods(["GET", "HEAD"])
@rate_limit("share-page")
def share_json(request: HttpRequest, token: str) -> HttpResponse:
    found = _live(token)
    return _download(request, found, found.entry)


@require_http_methods(["GET", "HEAD"])
@rate_limit("share-page")
def share_item_json(request: HttpRequest, token: str, entry: uuid.UUID) -> HttpResponse:
    found = _live(token)
    return _download(request, found, sharing.entry_shown(found, entry))
