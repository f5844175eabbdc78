"""The signed-in learner's wallet pages: the list, one credential, collections, the JSON and
the archive, removing, importing, deleting the account. Thin: the rules are in
:mod:`.entries`, :mod:`.collections`, :mod:`.export` and :mod:`.importing`.

Every view gets the signed-in account from :func:`learner_required` and looks records up
through it, so another learner's entry or collection is a 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microcred_web.catalogue import labels
from microcred_web.security.limits import rate_limit
from microcred_web.security.middleware import too_large_page
from microcred_web.wallet import collections as wallet_collections
from microcred_web.wallet import entries as wallet_entries
from microcred_web.wallet import export, importing
from microcred_web.wallet.access import account_of, learner_required
from microcred_web.wallet.forms_pages import CollectionNameForm, DeleteAccountForm, ImportForm
from microcred_web.wallet.models import Collection, LearnerAccount, WalletEntry
from microcred_web.wallet.uploads import body_limit

PAGE_SIZE = 50


def _entry_or_404(account: LearnerAccount, public_id: Any) -> WalletEntry:
    entry = wallet_entries.find_entry(account, public_id)
    if entry is None:
        raise Http404("no such credential in your wallet")
    return entry


def _collection_or_404(account: LearnerAccount, public_id: Any) -> Collection:
    collection = wallet_collections.find_collection(account, public_id)
    if collection is None:
        raise Http404("no such collection in your wallet")
    return collection


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_GET
@learner_required
def home(request: HttpRequest, account: LearnerAccount) -> HttpResponse:
    collections = list(wallet_collections.collections_of(account))
    current = None
    wanted = request.GET.get("collection", "").strip()
    if wanted:
        current = next((c for c in collections if str(c.public_id) == wanted), None)
        if current is None:
            raise Http404("no such collection in your wallet")
    entries = wallet_entries.entries_of(account, current)
    page = Paginator(entries, PAGE_SIZE).get_page(_page_number(request))
    context = {
        "languages": labels.visitor_languages(request),
        "rows": wallet_entries.summaries(page.object_list),
        "page": page,
        "collections": collections,
        "current": current,
        "total": wallet_entries.entries_of(account).count() if current else page.paginator.count,
        "name_form": CollectionNameForm(),
    }
    return render(request, "wallet/home.html", context)


def _entry_context(
    request: HttpRequest, account: LearnerAccount, entry: WalletEntry
) -> dict[str, Any]:
    member = {c.pk for c in entry.collections.all()}
    return {
        "languages": labels.visitor_languages(request),
        "entry": entry,
        "row": wallet_entries.summary(entry),
        "report": wallet_entries.live_report(entry),
        "checked_at": timezone.now(),
        "collections": [(c, c.pk in member) for c in wallet_collections.collections_of(account)],
    }


@require_GET
@learner_required
def entry_page(request: HttpRequest, account: LearnerAccount, public_id: Any) -> HttpResponse:
    entry = _entry_or_404(account, public_id)
    return render(request, "wallet/entry.html", _entry_context(request, account, entry))


@require_GET
@learner_required
def entry_json(request: HttpRequest, account: LearnerAccount, public_id: Any) -> HttpResponse:
    """The signed credential as stored: the same JSON (members, order, values) byte for byte
    as ``json.dumps`` of what was issued or imported, as a download."""
    entry = _entry_or_404(account, public_id)
    body = json.dumps(wallet_entries.credential_of(entry), ensure_ascii=False)
    response = HttpResponse(body.encode("utf-8"), content_type="application/ld+json")
    response["Content-Disposition"] = f'attachment; filename="credential-{entry.public_id}.json"'
    return response


@require_http_methods(["GET", "POST"])
@learner_required
def entry_remove(request: HttpRequest, account: LearnerAccount, public_id: Any) -> HttpResponse:
    entry = _entry_or_404(account, public_id)
    if request.method == "POST":
        wallet_entries.remove_entry(account, entry)
        messages.success(request, _("The credential was removed from your wallet."))
        return redirect("wallet:home")
    row = wallet_entries.summary(entry)
    context = {"entry": entry, "row": row, "languages": labels.visitor_languages(request)}
    return render(request, "wallet/entry_remove.html", context)


@require_POST
@learner_required
def entry_collections(
    request: HttpRequest, account: LearnerAccount, public_id: Any
) -> HttpResponse:
    """The entry's collections as ticked on its page (unticked ones are left)."""
    entry = _entry_or_404(account, public_id)
    chosen = set(request.POST.getlist("collection"))
    for collection in wallet_collections.collections_of(account):
        wallet_collections.set_membership(
            account, entry, collection, str(collection.public_id) in chosen
        )
    messages.success(request, _("The collections of this credential were saved."))
    return redirect("wallet:entry", public_id=entry.public_id)


def _collections_page(
    request: HttpRequest, account: LearnerAccount, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "collections": wallet_collections.collections_of(account).prefetch_related("entries"),
        "name_form": CollectionNameForm(),
    } | extra
    return render(request, "wallet/collections.html", context, status=status)


@require_http_methods(["GET", "POST"])
@learner_required
def collections_page(request: HttpRequest, account: LearnerAccount) -> HttpResponse:
    """GET: the collections; POST: make one (``name``)."""
    if request.method == "GET":
        return _collections_page(request, account)
    form = CollectionNameForm(request.POST)
    if not form.is_valid():
        return _collections_page(request, account, 400, name_form=form)
    try:
        collection = wallet_collections.create_collection(account, form.cleaned_data["name"])
    except wallet_collections.CollectionError as error:
        form.add_error("name", error.message)
        return _collections_page(request, account, 400, name_form=form)
    messages.success(request, _("The collection “%(name)s” was made.") % {"name": collection.name})
    return redirect(reverse("wallet:collections"))


@require_POST
@learner_required
def collection_rename(
    request: HttpRequest, account: LearnerAccount, public_id: Any
) -> HttpResponse:
    collection = _collection_or_404(account, public_id)
    form = CollectionNameForm(request.POST)
    try:
        if not form.is_valid():
            raise wallet_collections.CollectionError(_("Give the collection a name."))
        wallet_collections.rename_collection(account, collection, form.cleaned_data["name"])
    except wallet_collections.CollectionError as error:
        return _collections_page(
            request, account, 400, rename_error=error.message, rename_id=collection.public_id
        )
    messages.success(request, _("The collection was renamed."))
    return redirect("wallet:collections")


@require_http_methods(["GET", "POST"])
@learner_required
def collection_delete(
    request: HttpRequest, account: LearnerAccount, public_id: Any
) -> HttpResponse:
    collection = _collection_or_404(account, public_id)
    if request.method == "POST":
        name = collection.name
        wallet_collections.delete_collection(account, collection)
        messages.success(
            request,
            _("The collection “%(name)s” was deleted; its credentials stay.") % {"name": name},
        )
        return redirect("wallet:collections")
    return render(request, "wallet/collection_delete.html", {"collection": collection})


@require_GET
@learner_required
def export_archive(request: HttpRequest, account: LearnerAccount) -> HttpResponse:
    response = HttpResponse(export.archive(account), content_type="application/zip")
    day = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="microcred-wallet-{day}.zip"'
    return response


@require_http_methods(["GET", "POST"])
@learner_required
def delete_account(request: HttpRequest, account: LearnerAccount) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Signed out first: the sign-out is logged against the user, who is then deleted.
        logout(request)
        export.delete_account(account)
        return render(request, "wallet/account_deleted.html")
    status = 400 if request.method == "POST" else 200
    counts = {"entries": wallet_entries.entries_of(account).count()}
    return render(request, "wallet/delete_account.html", {"form": form, **counts}, status=status)


# --- bring your own -------------------------------------------------------------------------


def _import_page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "form": ImportForm(),
        "max_bytes": importing.max_bytes(),
        "max_kb": importing.max_bytes() // 1024,
        "formats": importing.formats.FORMATS,
    } | extra
    return render(request, "wallet/import.html", context, status=status)


def _too_large(request: HttpRequest) -> HttpResponse:
    if account_of(request.user) is None:
        return HttpResponse(status=413)
    problem = _("The file is too large; the largest credential accepted is %(kb)s KB.") % {
        "kb": importing.max_bytes() // 1024
    }
    return _import_page(request, 413, problem=problem, problem_code="too-large")


@too_large_page(_too_large)
@body_limit(importing.max_bytes)
@require_http_methods(["GET", "POST"])
@rate_limit("verify", methods=("POST",))
@learner_required
def import_page(request: HttpRequest, account: LearnerAccount) -> HttpResponse:
    if request.method == "GET":
        return _import_page(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, 400, form=form)
    upload = form.cleaned_data.get("file")
    if upload is not None:
        if upload.size > importing.max_bytes():
            return _too_large(request)
        raw, what = upload.read(), _("the uploaded file")
    else:
        raw, what = form.cleaned_data["credential"].encode("utf-8"), _("the pasted text")
    try:
        outcome = importing.import_bytes(account, raw, what)
    except importing.ImportRefused as refused:
        return _import_page(
            request,
            refused.status,
            form=form if upload is None else ImportForm(),
            problem=refused.message,
            problem_code=refused.code,
            failed=refused.checks,
        )
    if outcome.created:
        messages.success(request, _("The credential was verified and added to your wallet."))
    else:
        messages.info(request, _("This credential is already in your wallet."))
    return redirect("wallet:entry", public_id=outcome.entry.public_id)
