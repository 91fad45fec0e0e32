"""The portal's own static search index, written after Pelican into INDEX_FOLDER.

Why not Pagefind's index: Pagefind folds every word and scores each syllable on its
own, so "đối thoại" cannot rank above "theo dõi … điện thoại", and its indexer needs
5.5 GB at 20,000 articles. This index keeps, per page:

- for every syllable, its folded key ("doi") and its exact key ("=đôi1", the tone as a
  digit so "khỏe" and "khoẻ" are one key; see folding.exact_key);
- for every two neighbouring syllables, the pair's folded and exact keys ("doi thoai",
  "=đôi1 thoai5"), which is what ranks adjacent syllables above scattered ones and
  answers quoted phrases;
- for each key a field-weighted count: title, author, tag and lead above body.

Files (all static, fetched by theme/static/js/search.js and read by search/engine.py):

- `meta.json`: format, number of shards, each page's category and year (for filters);
- `s/<n>.bin`: shard n holds every key whose base key's FNV-1a hash modulo the shard
  count is n (an exact key's base key is its folded key, so "=thanh2" is in the shard of
  "thanh"), in key order. A record is `key length, key (UTF-8), page count n, length in
  bytes of the gaps, the gaps between page numbers, then n weight bytes`, every number an
  unsigned LEB128 varint. A reader compares a key's bytes with the keys it wants and
  steps over any other record without decoding it; the weights need no decoding at all;
- `d/<page>.json`: what a result shows: address, title, date, category, and the page's
  text (lead and body) for the excerpt.

Pages are read one at a time and their keys appended to per-key byte arrays, so memory
grows with the postings (about two bytes each), not with the pages' text.
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
from collections import defaultdict
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from .folding import base_key, part_keys, runs, word_keys

FORMAT = 2
# "number" is a /van-ban/ page's own document number: it outranks articles citing it.
FIELD_WEIGHTS = {"number": 30, "title": 10, "author": 8, "tags": 6, "lead": 5, "body": 1}
SHARD_TARGET_BYTES = 16 * 1024
MAX_WEIGHT = 255
_BODY = re.compile(r"<(\w+)\b[^>]*\bdata-pagefind-body\b[^>]*>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}


class _PageReader(HTMLParser):
    """Text of each field inside the page's data-pagefind-body element.

    The first <h1> is the title; elements marked data-search="lead|body|author|tags" are
    those fields; anything `hidden` or data-pagefind-ignore is skipped. The page's
    data-pagefind-meta and -filter attributes give its date, category and year."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = defaultdict(list)
        self.meta = {}
        self.stack = []  # (tag, field or None, skipping)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("data-pagefind-meta", "data-pagefind-filter"):
            value = attributes.get(name)
            if value and ":" in value:
                key, _, text = value.partition(":")
                self.meta.setdefault(f"{name[14:]}:{key.strip()}", text.strip())
        if tag in _VOID:
            return
        field, skipping = (self.stack[-1][1], self.stack[-1][2]) if self.stack else (None, False)
        if "hidden" in attributes or "data-pagefind-ignore" in attributes:
            skipping = True
        if attributes.get("data-search"):
            field = attributes["data-search"]
        elif tag == "h1" and "title" not in self.fields:
            field = "title"
        if tag in ("p", "li", "dd", "dt", "h2", "h3", "h4", "div", "td", "br"):
            self._text(field, skipping, "\n")
        self.stack.append((tag, field, skipping))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        while self.stack:
            top = self.stack.pop()
            if top[0] == tag:
                break
        if tag in ("p", "li", "dd", "dt", "h2", "h3", "h4", "div", "td"):
            field, skipping = (self.stack[-1][1], self.stack[-1][2]) if self.stack else (None, False)
            self._text(field, skipping, "\n")

    def handle_data(self, data):
        if self.stack:
            self._text(self.stack[-1][1], self.stack[-1][2], data)

    def _text(self, field, skipping, data):
        if field and not skipping:
            self.fields[field].append(data)


def read_page(html: str) -> dict | None:
    """The searchable fields of one built page, or None when it has no indexed body."""
    start = _BODY.search(html)
    if not start:
        return None
    reader = _PageReader()
    reader.feed(html[start.start():])
    reader.close()
    text = {name: re.sub(r"[ \t\r\f\v]+", " ", unescape("".join(parts))).strip()
            for name, parts in reader.fields.items()}
    return {"fields": text, "date": reader.meta.get("meta:date", ""),
            "category": reader.meta.get("meta:category") or reader.meta.get("filter:category", ""),
            "year": reader.meta.get("filter:year", "")}


def page_keys(fields: dict[str, str]) -> dict[str, float]:
    """Every index key of a page with its field-weighted count."""
    weights: dict[str, float] = defaultdict(float)
    for name, text in fields.items():
        weight = FIELD_WEIGHTS.get(name)
        if not weight or not text:
            continue
        for run in runs(text):
            previous = None
            for word in run:
                folded, exact = word_keys(word)
                weights[folded] += weight
                weights[exact] += weight
                for key in part_keys(word):
                    weights[key] += weight
                if previous is not None:
                    weights[f"{previous[0]} {folded}"] += weight
                    weights[f"{previous[1]} {exact[1:]}"] += weight
                previous = (folded, exact)
    return weights


def shard_of(key: str, shards: int) -> int:
    """FNV-1a (32 bits) of the UTF-8 bytes of the key's base key (folding.base_key), modulo
    the shard count (a power of 2): a syllable's or pair's exact keys share its shard."""
    value = 0x811C9DC5
    for byte in base_key(key).encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value & (shards - 1)


def _varint(number: int, out: bytearray) -> None:
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)


def _weight_byte(weight: float) -> int:
    return max(1, min(MAX_WEIGHT, round(weight)))


def page_files(site_dir: Path, skip: str):
    """Every HTML page of a built site in a stable order, leaving out the index folders."""
    for folder, subfolders, files in os.walk(site_dir):
        subfolders[:] = sorted(name for name in subfolders
                               if not (folder == str(site_dir) and name in (skip, "pagefind")))
        for name in sorted(files):
            if name.endswith(".html"):
                yield Path(folder) / name


def _url(site_dir: Path, path: Path) -> str:
    relative = path.relative_to(site_dir).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return "/" + relative


def write_index(site_dir, folder: str) -> dict:
    """Read every indexed page under `site_dir` and write the index into site_dir/folder.
    Returns counts for the build summary and the benchmark."""
    site_dir = Path(site_dir)
    target = site_dir / folder
    shutil.rmtree(target, ignore_errors=True)
    (target / "d").mkdir(parents=True)
    gaps: dict[str, bytearray] = {}      # page number gaps, varints
    weights: dict[str, bytearray] = {}   # one weight byte per page
    last_page: dict[str, int] = {}
    categories: list[str] = []
    page_category: list[int] = []
    page_year: list[int] = []
    for path in page_files(site_dir, folder):
        page = read_page(path.read_text(encoding="utf-8"))
        if page is None:
            continue
        number = len(page_category)
        fields = page["fields"]
        if page["category"] not in categories:
            categories.append(page["category"])
        page_category.append(categories.index(page["category"]))
        page_year.append(int(page["year"]) if page["year"].isdigit() else 0)
        text = "\n".join(fields[name] for name in ("lead", "body") if fields.get(name))
        document = {"u": _url(site_dir, path), "t": fields.get("title", ""), "d": page["date"],
                    "c": page["category"], "x": text}
        (target / "d" / f"{number}.json").write_text(
            json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        for key, weight in page_keys(fields).items():
            key_gaps = gaps.get(key)
            if key_gaps is None:
                key_gaps = gaps[key] = bytearray()
                weights[key] = bytearray()
                last_page[key] = 0
            _varint(number - last_page[key], key_gaps)
            weights[key].append(_weight_byte(weight))
            last_page[key] = number
    total = sum(len(data) for data in gaps.values()) + sum(len(data) for data in weights.values())
    shards = 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_TARGET_BYTES))))
    grouped: list[list[str]] = [[] for _ in range(shards)]
    for key in gaps:
        grouped[shard_of(key, shards)].append(key)
    (target / "s").mkdir()
    for number, keys in enumerate(grouped):
        out = bytearray()
        for key in sorted(keys):
            encoded = key.encode("utf-8")
            _varint(len(encoded), out)
            out += encoded
            key_gaps, key_weights = gaps.pop(key), weights.pop(key)
            _varint(len(key_weights), out)
            _varint(len(key_gaps), out)
            out += key_gaps
            out += key_weights
        (target / "s" / f"{number}.bin").write_bytes(bytes(out))
    meta = {"format": FORMAT, "shards": shards, "pages": len(page_category),
            "categories": categories, "category": page_category, "year": page_year}
    (target / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")),
                                      encoding="utf-8")
    return {"pages": len(page_category), "keys": sum(map(len, grouped)), "shards": shards, "bytes": total}
