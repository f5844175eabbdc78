"""microcred_web: the Django web layer around the ``microcred`` core.

Settings are in :mod:`microcred_web.settings`; the HTTP API (django-ninja) is assembled in
:mod:`microcred_web.api` from one router per app.
"""
