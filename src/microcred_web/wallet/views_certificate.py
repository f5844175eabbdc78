"""The learner's certificate download (``wallet:entry-certificate``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from microcred_web.wallet.access import learner_required
from microcred_web.wallet.certificate import certificate_pdf
from microcred_web.wallet.models import LearnerAccount, WalletEntry


@require_GET
@learner_required
def entry_certificate(
    request: HttpRequest, account: LearnerAccount, public_id: str
) -> HttpResponse:
    """The PDF certificate of one of the signed-in learner's entries; 404 for any other."""
    entry = (
        WalletEntry.objects.select_related("issued", "account")
        .filter(account=account, public_id=public_id, removed__isnull=True)
        .first()
    )
    if entry is None:
        raise Http404
    pdf = certificate_pdf(entry)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(str(entry.public_id))[:40] or "credential"
    response["Content-Disposition"] = f'attachment; filename="certificate-{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
