"""What enters Typst markup besides content: the one escaping function for strings, and the
typed values (lengths, numbers, colours, languages) checked where they are written.

No value of a document ever becomes Typst code: a string goes through `s`, a colour is parsed
into three integers, a number is checked finite and in range, a language comes from a closed
list. tests/finish/test_typst_values.py feeds every field of a document hostile values.
"""

from __future__ import annotations

import math


class TypesetError(Exception):
    """Typst refused the markup, or a value was not fit for it: a bug of ours, reported as a
    template/render error."""


_ESCAPES = {c: f"\\u{{{c:x}}}" for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]}
_ESCAPES.update({ord("\\"): "\\\\", ord('"'): '\\"'})


def s(text: str) -> str:
    """A Typst string literal: backslash, quote and every control character escaped."""
    return '"' + text.translate(_ESCAPES) + '"'


# What enters the markup besides escaped strings (s): numbers checked finite and in range,
# colours as three integers, languages from a closed list. Nothing else is ever pasted in.
MAX_LENGTH = 100_000.0  # points (35 m): far beyond any page, finite


def pt(value: float) -> str:
    """A length in points; a value that is not a finite number in range is a bug upstream."""
    if not isinstance(value, (int, float)) or not math.isfinite(value) \
            or abs(value) > MAX_LENGTH:
        raise TypesetError(f"length out of range: {value!r}")
    return f"{value:.2f}pt"


def number(value: float, lo: float = -MAX_LENGTH, hi: float = MAX_LENGTH) -> str:
    """A plain number (a ratio, an em amount) checked finite and within [lo, hi]."""
    if not isinstance(value, (int, float)) or not math.isfinite(value) or not lo <= value <= hi:
        raise TypesetError(f"number out of range: {value!r}")
    return f"{value:.3f}"


def rgb(hex6: str) -> str:
    """A colour as Typst's rgb(r, g, b) from « RRGGBB »: parsed into three integers here, so
    that no text a document calls a colour can reach the markup."""
    if len(hex6) != 6 or any(c not in "0123456789abcdefABCDEF" for c in hex6):
        raise TypesetError(f"not a colour: {hex6!r}")
    r, g, b = (int(hex6[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


# The languages Typst is told (hyphenation, quotes); the reader maps every other code to fr.
LANGUAGES = frozenset({"fr", "en", "de", "es", "it", "pt", "nl", "ca", "eu", "br", "co", "oc",
                       "ar", "he", "el", "ru", "pl", "ro", "tr", "zh", "ja", "ko", "vi", "ty"})


def lang(code: str) -> str:
    return s(code if code in LANGUAGES else "fr")


def choice(value: str, allowed: dict[str, str]) -> str:
    """A keyword of the markup chosen by a value of the document from a closed set."""
    if value not in allowed:
        raise TypesetError(f"not one of {sorted(allowed)}: {value!r}")
    return allowed[value]


