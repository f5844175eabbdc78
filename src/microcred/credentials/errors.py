"""Errors raised while loading contexts, canonicalising, signing or verifying.

Every error carries a short stable ``code`` (kebab-case) so that the verification pipeline
can turn it into a coded check and a program can act on it without parsing messages.
"""

from __future__ import annotations


class CredentialError(Exception):
    """Base class: anything that makes a credential unsignable or unverifiable."""

    code = "credential-error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ContextNotAllowed(CredentialError):
    """A JSON-LD context URL that is not on the allow-list of shipped contexts.

    Contexts are never fetched: an unknown URL could change the meaning of a signed document
    (or make a verifier call out to an attacker's server), so it is refused outright.
    """

    code = "context-not-allowed"

    def __init__(self, url: str) -> None:
        super().__init__(f"JSON-LD context {url!r} is not on the allow-list of shipped contexts")
        self.url = url


class UndefinedTerm(CredentialError):
    """A property or type that the document's contexts do not define.

    JSON-LD processors silently drop such terms, so a signature would not cover them: a
    verifier would accept a credential whose visible fields were never signed.
    """

    code = "undefined-term"

    def __init__(self, term: str, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(f"term {term!r} is not defined by the document's contexts{extra}")
        self.term = term


class InvalidJsonLd(CredentialError):
    """The document is not valid JSON-LD, or holds something RDF cannot carry faithfully."""

    code = "invalid-jsonld"


class DocumentTooComplex(CredentialError):
    """The document is too big or too deeply nested to process safely."""

    code = "document-too-complex"


class CanonicalizationLimit(CredentialError):
    """RDFC-1.0 exceeded its work budget (a poisoned graph, RDFC-1.0 §4.4 note)."""

    code = "canonicalization-limit"


class InvalidMultibase(CredentialError):
    """A multibase string that is not base58btc (``z``) or does not decode."""

    code = "invalid-multibase"


class InvalidKey(CredentialError):
    """A key that is not an Ed25519 Multikey, or a secret that does not match its public key."""

    code = "invalid-key"


class DidResolutionError(CredentialError):
    """A DID (or DID URL) that cannot be resolved to a usable verification method."""

    code = "did-resolution-failed"


class ProofGenerationError(CredentialError):
    """Proof options that a cryptosuite refuses (vc-data-integrity PROOF_GENERATION_ERROR)."""

    code = "proof-generation-error"
