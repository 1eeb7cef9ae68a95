"""Changing the text of an HTML fragment while leaving its tags and attributes alone.

The glossary links (glossary_markup.py) and the Thai word marks (thai_words.py) both work on the
text of a built page, and both must stay out of some elements (code, drawings, links…).
"""
from __future__ import annotations

import re
from collections.abc import Callable

_TAG = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
_VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col", "area", "base", "embed", "track"}


def map_text(page_html: str, skip: set[str], change: Callable[[str], str]) -> str:
    """`change` applied to each run of text between tags, except inside the elements in `skip`."""
    out, skipping = [], []
    for part in _TAG.split(page_html):
        if part.startswith("<"):
            name = _NAME.match(part)
            tag = name.group(2).lower() if name else ""
            if tag in skip and tag not in _VOID and not part.endswith("/>"):
                if not name.group(1):
                    skipping.append(tag)
                elif skipping and skipping[-1] == tag:
                    skipping.pop()
            out.append(part)
        else:
            out.append(part if skipping else change(part))
    return "".join(out)
