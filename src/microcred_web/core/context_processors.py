"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

import microcred


def microcred_version(request: HttpRequest) -> dict[str, str]:
    return {"version": microcred.__version__}
