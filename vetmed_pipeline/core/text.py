"""How free text is cleaned and compared, for every domain's rules (pure functions)."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def clean_text(raw: str) -> str:
    """Trim and collapse inner white space (NFC, so composed and decomposed accents agree)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", raw)).strip()


def text_key(text: str) -> str:
    """Case-insensitive identity of a cleaned text."""
    return unicodedata.normalize("NFKC", text).casefold()
