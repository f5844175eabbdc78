"""WSGI entry point for production servers (``microcred_web.wsgi:application``).

The start-up checks (:mod:`microcred_web.core.checks`: a set but unusable KEK, static files
not collected; :mod:`microcred_web.issuing.checks`: the identifier key, the instance's recorded
identity) run here, because WSGI servers do not run Django's system checks: a worker
that would fail every signature refuses to boot instead, and gunicorn stops with the reason.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred_web.settings")

application = get_wsgi_application()

from microcred_web.core.checks import refuse_to_serve  # noqa: E402  (needs Django set up)

refuse_to_serve()
