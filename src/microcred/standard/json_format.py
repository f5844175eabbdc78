"""Writing our own JSON format (reading goes through :mod:`microcred.standard.readers`).

Absent elements are left out rather than written as null, so files stay readable; reading
such a file back gives an equal model, since every element defaults to absent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from microcred.standard.model import IssuedCredential, MicroCredentialSpec


def spec_to_dict(spec: MicroCredentialSpec | IssuedCredential) -> dict[str, Any]:
    return spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def dumps_specs(specs: Iterable[MicroCredentialSpec], *, indent: int | None = 2) -> str:
    """A ``{"specifications": [...]}`` document, the shape bulk import reads."""
    body = {"specifications": [spec_to_dict(s) for s in specs]}
    return json.dumps(body, indent=indent, ensure_ascii=False)
