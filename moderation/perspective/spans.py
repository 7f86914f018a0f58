"""Sentences of a comment and their offsets in UTF-16 code units (Perspective's unit)."""

from __future__ import annotations

import re

# A sentence runs to its final punctuation (before a space or the end), a newline, or the end.
_SENTENCE = re.compile(r"\S.*?(?:[.!?…]+(?=\s|$)|(?=\n)|$)", re.DOTALL)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: a character outside the BMP (an emoji) counts 2."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def sentences(text: str) -> list[tuple[int, int, str]]:
    """``(begin, end, sentence)`` for each sentence; offsets in UTF-16 units, end exclusive."""
    found, position, units = [], 0, 0
    for match in _SENTENCE.finditer(text):
        sentence = match.group().rstrip()
        units += utf16_length(text[position : match.start()])
        begin = units
        units += utf16_length(sentence)
        position = match.start() + len(sentence)
        found.append((begin, units, sentence))
    return found
