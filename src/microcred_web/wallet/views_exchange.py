"""The page that offers a learner's wallet entry to Learner Credential Wallet (the exchange
the wallet then calls is an API operation: :mod:`microcred_web.wallet.api`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from microcred_web.wallet import lcw
from microcred_web.wallet.access import learner_required
from microcred_web.wallet.models import EntrySource, LearnerAccount, WalletEntry


@require_POST
@learner_required
def entry_offer(request: HttpRequest, account: LearnerAccount, entry_id: str) -> HttpResponse:
    """A fresh exchange of the learner's own entry (issued here), shown as link and QR code.

    A POST because it writes (a new exchange); the page is the answer, not a redirect, since
    the transaction id is shown once and never stored in clear.
    """
    entry = (
        WalletEntry.objects.select_related("issued__specification")
        .filter(
            account=account,
            public_id=entry_id,
            source=EntrySource.ISSUED_HERE,
            removed__isnull=True,
        )
        .first()
    )
    if entry is None or entry.issued is None:
        raise Http404("no such credential in your wallet")
    offer = lcw.offer_for(entry.issued, account)
    return render(
        request, "wallet/lcw_offer.html", {"entry": entry, "record": entry.issued, "offer": offer}
    )
