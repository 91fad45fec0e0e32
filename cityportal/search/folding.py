"""Vietnamese folding for search: what a reader typing without accents would write."""
from __future__ import annotations

import functools
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


# --- Keys of the search index (cityportal/search/compact.py, theme/static/js/search.js) ---
#
# A syllable has two keys. The folded key is what a reader typing without marks writes
# ("doi"). The exact key keeps every letter mark (ư, ơ, â, ê, ô, ă, đ) and records the
# tone as a digit after the letters, so the two placements of one tone ("khỏe"/"khoẻ",
# "hòa"/"hoà", "thủy"/"thuỷ") give the same key, "khoe3", and different tones differ
# ("mưa" -> "mưa", "lê" -> "lê", "lễ" -> "lê4").

TONE_DIGITS = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
EXACT_PREFIX = "="
# Sentence punctuation (followed by a space), brackets, quotes and spaced dashes end a
# run of syllables: a pair never spans them.
_BREAK = re.compile(r"[.,;:!?…]+(?=\s|$)|[()\[\]{}\"“”«»|\n\r\t–—]|\s-\s")
_TOKEN = re.compile(r"\w+(?:[./\-]\w+)*")
_PART = re.compile(r"[/\-]")
_TONE_DIGIT = re.compile(r"(?<=[^0-9])[1-5](?= |$)")


def exact_key(word: str) -> str:
    """The word lower-cased with its tone taken off and written as a trailing digit."""
    tone = ""
    letters = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in TONE_DIGITS:
            tone = TONE_DIGITS[char]
        else:
            letters.append(char)
    return unicodedata.normalize("NFC", "".join(letters)) + tone


def runs(text: str) -> list[list[str]]:
    """The words of `text` (NFC, lower case), in runs that punctuation does not cut."""
    text = unicodedata.normalize("NFC", text).lower()
    found = []
    for piece in _BREAK.split(text):
        words = _TOKEN.findall(piece)
        if words:
            found.append(words)
    return found


def sub_words(word: str) -> list[str]:
    """What else a compound word answers to: "04/2015/nđ-cp" -> "04", "04/2015", "2015",
    "nđ-cp", "nđ", "cp". A reader types a document number in part or in full."""
    if not _PART.search(word):
        return []
    extra = []
    pieces = word.split("/")
    for end in range(1, len(pieces)):
        extra.append("/".join(pieces[:end]))
    extra += pieces
    for piece in pieces:
        extra += piece.split("-")
    return [part for part in dict.fromkeys(extra) if part and part != word]


@functools.lru_cache(maxsize=None)
def word_keys(word: str) -> tuple[str, str]:
    """The folded and the exact key of one word. Cached: a site's vocabulary is small and
    the indexer asks for every word of every page."""
    return fold(word), EXACT_PREFIX + exact_key(word)


@functools.lru_cache(maxsize=None)
def part_keys(word: str) -> tuple[str, ...]:
    """The keys of the parts a compound word also answers to (see sub_words)."""
    return tuple(key for part in sub_words(word) for key in word_keys(part))


def base_key(key: str) -> str:
    """The folded key that an index key goes with: a folded key itself, an exact key with
    its letters folded and its tone digits dropped ("=thanh2 phô1" -> "thanh pho"). The
    index shards keys by this, so a query typed with marks reads each syllable's folded
    and exact postings from one file. (A word that ends in a digit 1-5 after a letter,
    such as "a2", loses that digit here; it then only lands in another shard.)"""
    if not key.startswith(EXACT_PREFIX):
        return key
    return _TONE_DIGIT.sub("", fold(key[len(EXACT_PREFIX):]))
