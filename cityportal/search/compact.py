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

import functools
import json
import math
import os
import re
from collections import defaultdict
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from cityportal.precompress import SIBLING_SUFFIXES

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


def _element_end(html: str, start: re.Match) -> int:
    """Where the element opened at `start` ends: just after its closing tag, counting the
    elements of the same name inside it; the end of the page if it is never closed. The
    sidebar and footer after it hold nothing to index and most of the page's tags."""
    depth = 0
    for found in _tag_pattern(start.group(1)).finditer(html, start.start()):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            close = html.find(">", found.end())
            return len(html) if close < 0 else close + 1
    return len(html)


@functools.cache
def _tag_pattern(name: str) -> re.Pattern:
    return re.compile(rf"<(/?){re.escape(name)}\b", re.IGNORECASE)


def read_page(html: str) -> dict | None:
    """The searchable fields of one built page, or None when it has no indexed body."""
    start = _BODY.search(html)
    if not start:
        return None
    reader = _PageReader()
    reader.feed(html[start.start():_element_end(html, start)])
    reader.close()
    text = {name: re.sub(r"[ \t\r\f\v]+", " ", unescape("".join(parts))).strip()
            for name, parts in reader.fields.items()}
    return {"fields": text, "date": reader.meta.get("meta:date", ""),
            "category": reader.meta.get("meta:category") or reader.meta.get("filter:category", ""),
            "year": reader.meta.get("filter:year", ""), "appeared": reader.meta.get("meta:appeared", "")}


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


def weighted_keys(fields: dict[str, str]) -> tuple[list[str], bytes]:
    """A page's keys as the index stores them: the keys, and each one's weight as a byte."""
    weights = page_keys(fields)
    return list(weights), bytes(_weight_byte(weight) for weight in weights.values())


def shard_of(key: str, shards: int) -> int:
    """FNV-1a (32 bits) of the UTF-8 bytes of the key's base key (folding.base_key), modulo
    the shard count (a power of 2): a syllable's or pair's exact keys share its shard."""
    value = 0x811C9DC5
    for byte in base_key(key).encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value & (shards - 1)


def varint(number: int, out: bytearray) -> None:
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)


def page_numbers(gaps: bytes) -> list[int]:
    """The page numbers a record's gaps encode."""
    pages, number, shift, page = [], 0, 0, 0
    for byte in gaps:
        number |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
            continue
        page += number
        pages.append(page)
        number, shift = 0, 0
    return pages


def gaps_of(pages: list[int]) -> bytearray:
    """The gaps of increasing page numbers, as a record stores them."""
    gaps, last = bytearray(), 0
    for page in pages:
        varint(page - last, gaps)
        last = page
    return gaps


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


_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?")


def chronological_key(page: dict) -> str:
    """Pages are numbered oldest first (undated pages before them, then by address), so
    that a new article, the newest page, takes the next number and every other page
    keeps its own, with its d/ file and its postings' bytes. A page that says when it
    appeared (a document page made by a new citation, YYYYMMDDhhmm) counts from then."""
    if page.get("appeared"):
        return page["appeared"]
    found = _DATE.search(page["date"])
    if found:
        day, month, year, hour, minute = (int(part or 0) for part in found.groups())
        return f"{year:04d}{month:02d}{day:02d}{hour:02d}{minute:02d}"
    return page["year"] if page["year"].isdigit() else ""


def _url(site_dir: Path, path: Path) -> str:
    relative = path.relative_to(site_dir).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return "/" + relative


def write_if_changed(path: Path, data: bytes, written: set[Path] | None = None) -> None:
    """Leave a file whose bytes are already right untouched, so its time survives for
    precompression and publishing; record it in `written` when given."""
    if written is not None:
        written.add(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    path.write_bytes(data)


def shard_count(total_bytes: int) -> int:
    """Shards of about SHARD_TARGET_BYTES each, a power of 2."""
    return 1 << max(0, math.ceil(math.log2(max(1, total_bytes / SHARD_TARGET_BYTES))))


def document_bytes(site_dir: Path, path: Path, page: dict) -> bytes:
    """The d/ file of a page: what its result shows."""
    fields = page["fields"]
    text = "\n".join(fields[name] for name in ("lead", "body") if fields.get(name))
    document = {"u": _url(site_dir, path), "t": fields.get("title", ""), "d": page["date"],
                "c": page["category"], "x": text}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def shard_bytes(records) -> bytes:
    """A shard file from its (key, gaps, weights, ...) records, in key order."""
    out = bytearray()
    for key, gaps, weights, *_ in records:
        encoded = key.encode("utf-8")
        varint(len(encoded), out)
        out += encoded
        varint(len(weights), out)
        varint(len(gaps), out)
        out += gaps
        out += weights
    return bytes(out)


def meta_bytes(shards: int, page_categories: list[str], page_years: list[int]) -> bytes:
    """meta.json: categories are numbered in the order pages first name them."""
    categories: dict[str, int] = {}
    for name in page_categories:
        categories.setdefault(name, len(categories))
    meta = {"format": FORMAT, "shards": shards, "pages": len(page_categories),
            "categories": list(categories), "category": [categories[name] for name in page_categories],
            "year": page_years}
    return json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def page_year(page: dict) -> int:
    return int(page["year"]) if page["year"].isdigit() else 0


def write_index(site_dir, folder: str, read=None, pages: list[Path] | None = None, keep=None) -> dict:
    """Read every indexed page under `site_dir` (or those of `pages`, when the caller
    has listed them) and write the index into site_dir/folder; files of an earlier index
    that this one does not have are removed. `read(path)` gives a page as read_page does
    (the default parses the file), and may add its weighted_keys as "keys". `keep`, an
    IndexState, is given what the next build needs to update this index in place.
    Returns counts for the build summary and the benchmark."""
    site_dir = Path(site_dir)
    target = site_dir / folder
    if read is None:
        def read(path):
            return read_page(path.read_text(encoding="utf-8"))
    if target.exists() and not target.is_dir() or target.is_symlink():
        target.unlink()
    (target / "d").mkdir(parents=True, exist_ok=True)
    (target / "s").mkdir(exist_ok=True)
    written: set[Path] = set()
    # key -> [page number gaps as varints, one weight byte per page, last page number]
    postings: dict[str, list] = {}
    page_categories: list[str] = []
    page_years: list[int] = []
    dated, unindexed = [], []
    for path in page_files(site_dir, folder) if pages is None else pages:
        page = read(path)
        if page is None:
            unindexed.append(path)
        else:
            dated.append((chronological_key(page), path))
    dated.sort()
    for number, (_key, path) in enumerate(dated):
        page = read(path)
        page_categories.append(page["category"])
        page_years.append(page_year(page))
        write_if_changed(target / "d" / f"{number}.json", document_bytes(site_dir, path, page), written)
        keys, weights = page["keys"] if "keys" in page else weighted_keys(page["fields"])
        for key, weight in zip(keys, weights):
            entry = postings.get(key)
            if entry is None:
                gaps = bytearray()
                varint(number, gaps)
                postings[key] = [gaps, bytearray((weight,)), number]
                continue
            gap = number - entry[2]
            if gap < 0x80:
                entry[0].append(gap)
            else:
                varint(gap, entry[0])
            entry[1].append(weight)
            entry[2] = number
    total = sum(len(entry[0]) + len(entry[1]) for entry in postings.values())
    key_count = len(postings)
    shards = shard_count(total)
    if keep is not None:
        keep.start(dated, unindexed, shards, total, key_count, page_categories, page_years)
    grouped: list[list[str]] = [[] for _ in range(shards)]
    for key in postings:
        grouped[shard_of(key, shards)].append(key)
    for number, keys in enumerate(grouped):
        records = [(key, *postings.pop(key)) for key in sorted(keys)]  # key, gaps, weights, last
        if keep is not None:
            keep.postings(number, records)
        write_if_changed(target / "s" / f"{number}.bin", shard_bytes(records), written)
    meta = meta_bytes(shards, page_categories, page_years)
    write_if_changed(target / "meta.json", meta, written)
    if keep is not None:
        keep.finish(meta)
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_dir() and not path.is_symlink():
            if path not in (target / "d", target / "s") and not any(path.iterdir()):
                path.rmdir()
        elif path not in written and not path.name.endswith(SIBLING_SUFFIXES):
            path.unlink()
    return {"pages": len(page_categories), "keys": key_count, "shards": shards, "bytes": total}
