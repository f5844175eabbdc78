"""Template helpers of the operator's pages, and the notice of emergency actions that a
provider's dashboard shows (``{% load operator_tags %}{% emergency_notices provider %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from microcred_web.operator.emergency import notices_for

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]``, or "" (a form's hint by field name)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.inclusion_tag("operator/_emergency_notices.html")
def emergency_notices(provider: Any) -> dict[str, Any]:
    return {"provider": provider, "notices": notices_for(provider)}
