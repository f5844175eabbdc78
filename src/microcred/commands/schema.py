"""``microcred schema``: print the JSON Schema of our own JSON format.

The schema is generated from the model, so it cannot drift from what the reader accepts; the
copy published in ``docs/schema/`` is checked against it by the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from microcred.standard.model import IssuedCredential, MicroCredentialSpec

SCHEMA_BASE = "https://microcred.eu/schema/"


def json_schema(kind: str = "specification") -> dict[str, Any]:
    model = MicroCredentialSpec if kind == "specification" else IssuedCredential
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{SCHEMA_BASE}{kind}.schema.json"
    return schema


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schema", help="print the JSON Schema of a specification or an issued credential"
    )
    parser.add_argument(
        "kind", nargs="?", default="specification", choices=("specification", "credential")
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    json.dump(json_schema(args.kind), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
