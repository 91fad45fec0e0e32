"""Vietnamese folding for search: what a reader typing without accents would write."""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\S+")
_TAGS = re.compile(r"<[^>]+>")


class _FoldTable(dict):
    """str.translate table filled on first sight of each character."""

    def __missing__(self, code):
        char = chr(code).lower()
        folded = "d" if char == "đ" else unicodedata.normalize("NFD", char)[0]
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case, tone and vowel marks removed, đ -> d. One character in, one out, so
    positions in the folded text are positions in the original."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def folded_d_words(*texts: str) -> list[str]:
    """Each distinct word containing đ, folded.

    Pagefind already folds tone marks on both sides, but keeps đ apart from d, so
    "nghi dinh" would miss "Nghị định". Indexing the folded form of just these words is
    enough to close that gap, and keeps the index and the excerpts small.
    """
    seen: dict[str, None] = {}
    for text in texts:
        plain = unicodedata.normalize("NFC", _TAGS.sub(" ", text or ""))
        for word in _WORD.findall(plain):
            if "đ" in word or "Đ" in word:
                seen.setdefault(fold(word).strip(".,;:!?()\"'“”«»…"), None)
    return [word for word in seen if word]
