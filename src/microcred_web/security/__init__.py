"""Abuse limits and production hardening of the web layer.

- :mod:`.limits`: rate limits (``rate_limit`` decorator, ``RateLimited``) shared by every
  worker process through the database (:mod:`.cache`);
- :mod:`.clients`: the client's network address, behind a known number of trusted proxies;
- :mod:`.signin`: the sign-in page with per-address limits and per-user-name lockout;
- :mod:`.middleware`: 429 pages for rate-limited views, the page's own 413 for bodies over
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``, and the Content Security Policy of the API docs page.

See ``docs/security.md``.
"""
