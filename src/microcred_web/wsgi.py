"""WSGI entry point for production servers (``microcred_web.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred_web.settings")

application = get_wsgi_application()

# A WSGI server runs no system checks: run the identity check here, so that a worker refuses
# to boot under settings that would orphan the credentials issued (issuing/checks.py).
from microcred_web.issuing.checks import refuse_to_start  # noqa: E402

refuse_to_start()
