"""Ranking over the index compact.py writes. theme/static/js/search.js is the same
algorithm in the browser; this one serves searches without JavaScript (service.py) and
the evaluation's quick checks. Keep the two in step (tests/site/test_search.py compares
their orders on the evaluation set).

A query is a list of syllables; text in "quotes" is a phrase. A page is a result when it
holds every syllable (folded), and every quoted phrase as neighbouring syllables (pairs,
exact when the phrase was typed with marks). Its score adds, for each syllable and for
each pair of neighbouring query syllables, idf × saturation(field-weighted count):
folded keys always, exact keys too when the query carries marks, pairs above syllables.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .compact import shard_of
from .folding import EXACT_PREFIX, exact_key, fold, runs, word_keys

SATURATION = 3.0
EXACT_BOOST = 1.5
PAIR_BOOST = 3.0
EXACT_PAIR_BOOST = 3.0
_QUOTED = re.compile(r"[\"“”]([^\"“”]*)[\"“”]")


@dataclass
class Query:
    words: list[str]                      # every syllable, in order, lower case NFC
    pairs: list[tuple[str, str]]          # neighbouring syllables (not across a quote's edge)
    phrases: list[list[str]] = field(default_factory=list)
    marked: bool = False                  # typed with marks: exact keys count


def _has_marks(text: str) -> bool:
    return fold(text) != unicodedata.normalize("NFC", text).lower()


def parse(text: str) -> Query:
    text = unicodedata.normalize("NFC", text or "").strip()
    phrases = [words for quoted in _QUOTED.findall(text) for words in runs(quoted)]
    words, pairs = [], []
    for run in runs(text):
        words += run
        pairs += list(zip(run, run[1:]))
    return Query(words=list(dict.fromkeys(words)), pairs=list(dict.fromkeys(pairs)),
                 phrases=phrases, marked=_has_marks(text))


def pair_keys(first: str, second: str) -> tuple[str, str]:
    return f"{fold(first)} {fold(second)}", f"{EXACT_PREFIX}{exact_key(first)} {exact_key(second)}"


def keys_needed(query: Query) -> list[str]:
    keys = []
    for word in query.words:
        folded, exact = word_keys(word)
        keys += [folded, exact] if query.marked else [folded]
    for first, second in query.pairs:
        folded, exact = pair_keys(first, second)
        keys += [folded, exact] if query.marked else [folded]
    return list(dict.fromkeys(keys))


def _varint(data: bytes, at: int) -> tuple[int, int]:
    number = shift = 0
    while True:
        byte = data[at]
        at += 1
        number |= (byte & 0x7F) << shift
        if byte < 0x80:
            return number, at
        shift += 7


def read_shard(data: bytes, wanted: set[str]) -> dict[str, dict[int, int]]:
    """The postings of the wanted keys found in one shard; any other key's record is
    stepped over by its lengths, without decoding it."""
    wanted_bytes = {key.encode("utf-8"): key for key in wanted}
    found = {}
    at = 0
    while at < len(data):
        length, at = _varint(data, at)
        key = wanted_bytes.get(data[at:at + length])
        at += length
        count, at = _varint(data, at)
        size, at = _varint(data, at)
        if key is None:
            at += size + count
            continue
        pages, page = [], 0
        for _ in range(count):
            gap, at = _varint(data, at)
            page += gap
            pages.append(page)
        found[key] = dict(zip(pages, data[at:at + count]))
        at += count
    return found


def _saturated(weight: int) -> float:
    return weight / (weight + SATURATION)


class Index:
    """The index files of one built site, read from disk (shards are cached)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
        self._shards: dict[int, bytes] = {}

    def postings(self, keys: list[str]) -> dict[str, dict[int, int]]:
        by_shard: dict[int, set[str]] = {}
        for key in keys:
            by_shard.setdefault(shard_of(key, self.meta["shards"]), set()).add(key)
        found = {}
        for number, wanted in by_shard.items():
            if number not in self._shards:
                self._shards[number] = (self.folder / "s" / f"{number}.bin").read_bytes()
            found.update(read_shard(self._shards[number], wanted))
        return found

    def page(self, number: int) -> dict:
        return json.loads((self.folder / "d" / f"{number}.json").read_text(encoding="utf-8"))

    def search(self, text: str, category: str = "", year: str = "") -> list[int]:
        return rank(parse(text), self.postings, self.meta, category, year)


def rank(query: Query, lookup, meta: dict, category: str = "", year: str = "") -> list[int]:
    """Page numbers, best first."""
    if not query.words:
        return []
    found = lookup(keys_needed(query) + [k for phrase in query.phrases
                                         for pair in zip(phrase, phrase[1:])
                                         for k in pair_keys(*pair)])
    pages = meta["pages"]

    def idf(postings):
        return math.log(1 + pages / max(1, len(postings)))

    candidates = None
    for word in query.words:
        postings = found.get(word_keys(word)[0], {})
        candidates = set(postings) if candidates is None else candidates & set(postings)
    for phrase in query.phrases:
        marked = _has_marks(" ".join(phrase))
        for pair in zip(phrase, phrase[1:]):
            folded, exact = pair_keys(*pair)
            candidates &= set(found.get(exact if marked else folded, {}))
        if len(phrase) == 1 and marked:
            candidates &= set(found.get(word_keys(phrase[0])[1], {}))
    if category:
        wanted = meta["categories"].index(category) if category in meta["categories"] else -1
        candidates = {page for page in candidates if meta["category"][page] == wanted}
    if year:
        candidates = {page for page in candidates if str(meta["year"][page]) == str(year)}
    scores = dict.fromkeys(candidates, 0.0)
    parts = []
    for word in query.words:
        folded, exact = word_keys(word)
        parts.append((found.get(folded, {}), 1.0))
        if query.marked:
            parts.append((found.get(exact, {}), EXACT_BOOST))
    for pair in query.pairs:
        folded, exact = pair_keys(*pair)
        parts.append((found.get(folded, {}), PAIR_BOOST))
        if query.marked:
            parts.append((found.get(exact, {}), EXACT_PAIR_BOOST))
    for postings, boost in parts:
        if not postings:
            continue
        weight = boost * idf(postings)
        for page in candidates:
            count = postings.get(page)
            if count:
                scores[page] += weight * _saturated(count)
    return sorted(scores, key=lambda page: (-scores[page], page))
