"""Template helpers: text in the visitor's language, marked with its language for screen readers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import format_html

from microcred_web.catalogue import labels

register = template.Library()


@register.simple_tag(takes_context=True)
def lt(context: template.Context, text: Mapping[str, str] | None, fallback: str = "") -> str:
    """Render a language map in the visitor's language.

    Text in a language other than the page's is wrapped in ``<span lang="...">`` so that
    screen readers switch voice (WCAG 3.1.2, language of parts).
    """
    lang, value = labels.pick(text, context.get("languages") or [labels.PAGE_LANGUAGE])
    if not value:
        return format_html("{}", fallback)
    if lang.split("-")[0].lower() == labels.PAGE_LANGUAGE:
        return format_html("{}", value)
    return format_html('<span lang="{}">{}</span>', lang, value)


@register.filter
def ects(value: float | None) -> str:
    return labels.ects_text(value)


@register.filter
def duration(value: str | None) -> str:
    """``{{ m.duration|duration }}``: an ISO 8601 duration in words."""
    return labels.duration_text(value)


@register.filter
def vocab(code: str | None, name: str) -> str:
    """``{{ code|vocab:"countries" }}``: the label of a code in a vocabulary."""
    return labels.code_label(name, code)


@register.filter
def kind(value: str) -> str:
    return labels.kind_label(value)


@register.filter
def activity(value: str) -> str:
    return labels.activity_label(value)


@register.filter
def decision(value: str) -> str:
    return labels.decision_label(value)


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, page: int) -> str:
    """The current search URL with another page number: every state stays in the URL."""
    params: Any = context["request"].GET.copy()
    params["page"] = str(page)
    return "?" + params.urlencode()
