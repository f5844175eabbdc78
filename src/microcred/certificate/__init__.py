"""The printable certificate of a credential: A4, one page, tagged PDF/UA-1, fonts embedded,
a QR code to its verification and the signed credential attached (``credential.json``).

The document model (:class:`Certificate`) holds text already in the reader's language; the
web layer fills it from a wallet entry. :func:`render_pdf` needs no Django.
"""

from microcred.certificate.model import Certificate, Labels
from microcred.certificate.render import ATTACHMENT_NAME, render_pdf

__all__ = ["ATTACHMENT_NAME", "Certificate", "Labels", "render_pdf"]
