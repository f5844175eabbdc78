"""How the API reads request bodies, query strings and forms: strict JSON, and no NUL.

Two rules for everything the API reads, before any request model sees it:

- bodies are JSON as RFC 8259 defines it (:func:`microcred.standard.readers.load_json`: no
  ``NaN``, ``Infinity`` or numbers that overflow, bounded depth), where ninja's default parser
  would take whatever Python's ``json`` module takes;
- no text holds the NUL character (U+0000): PostgreSQL cannot store it in text or JSON columns
  (a 500, or an aborted transaction), and no register field has a use for it. The OpenAPI
  document says so for every string (:func:`no_nul_in_strings`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from microcred.standard.readers import ReadError, load_json
from microcred_web.api_errors import ApiError

NUL_MESSAGE = "{what} contains the NUL character (U+0000), which no field may hold"
#: A string holds no NUL (U+0000): added to every string of the document that has no pattern.
NO_NUL = "^[^\\u0000]*$"

#: Any JSON value whose texts (member names too) hold no NUL: the schema of a stored body.
JSON_WITHOUT_NUL: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": NO_NUL},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "null"},
        {"type": "array", "items": {"$ref": "#/components/schemas/JsonWithoutNul"}},
        {
            "type": "object",
            "propertyNames": {"pattern": NO_NUL},
            "additionalProperties": {"$ref": "#/components/schemas/JsonWithoutNul"},
        },
    ]
}


def refuse_nul_in_json(body: bytes, what: str = "the request body") -> None:
    """Refuse a JSON text that holds a NUL, raw or escaped (cheap: a scan of the bytes)."""
    if b"\x00" in body or b"\\u0000" in body:
        raise ApiError(400, NUL_MESSAGE.format(what=what), "nul-character")


def refuse_nul(value: str, what: str) -> None:
    if "\x00" in value:
        raise ApiError(400, NUL_MESSAGE.format(what=what), "nul-character")


class StrictParser(Parser):
    """ninja's parser with the two rules above."""

    def parse_body(self, request: HttpRequest) -> Any:
        refuse_nul_in_json(request.body)
        try:
            return load_json(request.body, "the request body")
        except ReadError as exc:
            raise ApiError(400, str(exc), "not-json") from None

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            refuse_nul(key, "a parameter name")
            for value in values:
                if isinstance(value, str):
                    refuse_nul(value, f"the parameter {key}")
        return super().parse_querydict(data, list_fields, request)


def no_nul_in_strings(node: Any) -> None:
    """Add :data:`NO_NUL` to every string schema of an OpenAPI document that states no
    pattern, enum, format or constant of its own (in place)."""
    if isinstance(node, dict):
        if (
            node.get("type") == "string"
            and not {"pattern", "enum", "format", "const"} & node.keys()
        ):
            node["pattern"] = NO_NUL
        for value in node.values():
            no_nul_in_strings(value)
    elif isinstance(node, list):
        for value in node:
            no_nul_in_strings(value)
