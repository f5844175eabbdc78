"""The site's URLs for the certificate tests, with stand-ins for the wallet pages other
helpers build (``wallet:share``, ``wallet:sign-in``) when this tree does not have them yet:
the certificate only needs their addresses. Once the real ones exist, they are used."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from microcred_web import urls as site
from microcred_web.wallet import urls as wallet_urls


def _stand_in(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse("stand-in")


_names = {getattr(p, "name", None) for p in wallet_urls.urlpatterns}
_wallet: list[URLPattern | URLResolver] = list(wallet_urls.urlpatterns)
if "share" not in _names:
    _wallet.append(path("s/<str:token>/", _stand_in, name="share"))
if "sign-in" not in _names:
    _wallet.append(path("wallet/sign-in/", _stand_in, name="sign-in"))

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((_wallet, "wallet"))),
    *[p for p in site.urlpatterns if getattr(p, "namespace", None) != "wallet"],
]
