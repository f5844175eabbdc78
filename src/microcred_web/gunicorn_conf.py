"""gunicorn settings for ``make serve`` and production.

Run as ``gunicorn -c python:microcred_web.gunicorn_conf`` (the application is named here).

Everything comes from the environment (see ``docs/deploy.md``):

``MICROCRED_BIND``
    Address to listen on, default ``127.0.0.1:8000`` (loopback: put a reverse proxy with TLS in
    front; never expose gunicorn directly).
``MICROCRED_WORKERS``
    Worker processes, default 2. Each is a full copy of the application with its own database
    connections and its own reader of the search index; about one per CPU core.
``MICROCRED_THREADS``
    Threads per worker, default 4 (the ``gthread`` worker): requests waiting on the database
    or the index do not hold a whole process.
``MICROCRED_TIMEOUT``
    Seconds a request may take before its worker is restarted, default 120 (a 10,000-row bulk
    issuing upload is the longest request).
``MICROCRED_ACCESS_LOG``
    Where access lines go: ``-`` (standard output, the default) or a file; empty for none.

Why no ``preload_app``: the search index keeps a thread pool and open files, which must not be
shared across ``fork``; each worker opens its own after it starts.
"""

from __future__ import annotations

import os


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number such as {default}, not {raw!r}") from None
    if value < 1:
        raise SystemExit(f"{name} must be 1 or more, not {value}")
    return value


bind = [os.environ.get("MICROCRED_BIND", "").strip() or "127.0.0.1:8000"]
workers = _positive("MICROCRED_WORKERS", 2)
worker_class = "gthread"
threads = _positive("MICROCRED_THREADS", 4)
timeout = _positive("MICROCRED_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
preload_app = False
wsgi_app = "microcred_web.wsgi:application"
accesslog = os.environ.get("MICROCRED_ACCESS_LOG", "-").strip() or None
errorlog = "-"
# The heartbeat files of the workers live in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "microcred"
# No control socket: it would sit at one path per user ($HOME/.gunicorn), shared by every
# instance on the machine; process signals (HUP, TERM, TTIN/TTOU) do the same job.
control_socket_disable = True
