"""Refuse an oversized upload before reading it.

Django streams a multipart upload to a temporary file whatever its size, and the security
middleware parses the form before the view runs; so a 50 MB file sent to a page that accepts
2 MB would be read in full before the page could say no. This upload handler runs first: when
the view the request goes to was marked with :func:`body_limit` and the declared length is
over that limit, it raises ``RequestDataTooBig`` at once, which the security middleware turns
into the page's own 413 answer (see ``too_large_page``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler

ATTRIBUTE = "microcred_body_limit"
#: Room for the form around the file (boundaries, headers, the CSRF token).
FORM_OVERHEAD = 64 * 1024


def body_limit(limit: Callable[[], int]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view: multipart bodies longer than ``limit() + FORM_OVERHEAD`` are refused."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, ATTRIBUTE, limit)
        return view

    return mark


def declared_too_large(request: Any, content_length: int | None) -> bool:
    match = getattr(request, "resolver_match", None)
    limit = getattr(getattr(match, "func", None), ATTRIBUTE, None)
    return limit is not None and (content_length or 0) > limit() + FORM_OVERHEAD


class BodyLimitUploadHandler(FileUploadHandler):
    """First in ``FILE_UPLOAD_HANDLERS``; passes everything else on untouched."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        if declared_too_large(self.request, content_length):
            raise RequestDataTooBig("The upload is larger than this page accepts.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
