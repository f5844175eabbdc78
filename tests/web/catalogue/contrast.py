"""WCAG 2.x contrast ratio of two sRGB colours, for the focus-visibility tests."""

from __future__ import annotations

import re

_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\b")
_RGB = re.compile(r"rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)(?:[,\s/]+([\d.]+))?\s*\)")


def parse(colour: str) -> tuple[int, int, int, float]:
    """``#abc``, ``#aabbcc``, ``rgb(r, g, b)`` or ``rgba(r, g, b, a)`` -> (r, g, b, alpha)."""
    colour = colour.strip()
    if m := _HEX.fullmatch(colour):
        digits = m.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), 1.0
    if m := _RGB.fullmatch(colour):
        alpha = float(m.group(4)) if m.group(4) is not None else 1.0
        return int(m.group(1)), int(m.group(2)), int(m.group(3)), alpha
    raise ValueError(f"not a colour: {colour!r}")


def _luminance(r: int, g: int, b: int) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a: str, b: str) -> float:
    """The contrast ratio (1 to 21) of opaque colours ``a`` and ``b``."""
    la = _luminance(*parse(a)[:3])
    lb = _luminance(*parse(b)[:3])
    light, dark = max(la, lb), min(la, lb)
    return (light + 0.05) / (dark + 0.05)
