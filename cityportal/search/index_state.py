"""The last index written, kept beside the page cache, so that the next build changes
only what its changed pages touch.

After an article is edited or added, write_index would read every page again, assemble
every key's postings and compare every file: 13 s at 10,000 articles, for a few dozen
files that actually change. The state holds what that work produced: which page has which
number, each key's postings (the very bytes of its shard record) and meta.json's data.
An update then reads only the pages the cache parsed again, moves their keys in and out
of the postings, and writes their d/ files, the shards of the keys that changed, and
meta.json.

Only changes that keep every other page's number are made in place: pages edited
without a new date, and new pages newer than all others. A removed page, a page that
moves in time or leaves or enters the index, a shard count that changes, or an index
folder that is not the one recorded all need write_index's full pass; so does a state
that is missing or from another format. Both ways write the same bytes
(tests/site/test_search_incremental.py).

The tables live in the page cache's SQLite file and are written in its transaction, so
the pages, the keys the index used and the postings always agree.
"""
from __future__ import annotations

import json
import os
from bisect import bisect_left
from pathlib import Path

from cityportal.fingerprint import bytes_digest
from cityportal.precompress import SIBLING_SUFFIXES

from .compact import (FORMAT, chronological_key, document_bytes, gaps_of, meta_bytes, page_numbers, page_year,
                      shard_bytes, shard_count, shard_of, varint, write_if_changed)
from .page_cache import PageCache

# Pages newer than a new page are renumbered in place up to this many (an article dated
# in the future stays the newest for years); beyond it the full pass is cheaper.
MOVED_PAGES_LIMIT = 100
_SCHEMA = """
CREATE TABLE IF NOT EXISTS indexed (path TEXT PRIMARY KEY, number INTEGER, sort TEXT);
CREATE TABLE IF NOT EXISTS posting (key TEXT PRIMARY KEY, shard INTEGER, gaps BLOB, weights BLOB, last INTEGER);
CREATE INDEX IF NOT EXISTS posting_shard ON posting (shard, key);
CREATE TABLE IF NOT EXISTS index_meta (value TEXT);
"""


class IndexState:
    def __init__(self, cache: PageCache):
        self.cache = cache
        self.db = cache.connection
        self.db.executescript(_SCHEMA)

    # -- after write_index's full pass ---------------------------------------------------
    def start(self, dated: list[tuple[str, Path]], unindexed: list[Path], shards: int, total: int,
              keys: int, page_categories: list[str], page_years: list[int]) -> None:
        for table in ("indexed", "posting", "index_meta"):
            self.db.execute(f"DELETE FROM {table}")
        self.db.executemany("INSERT INTO indexed VALUES (?, ?, ?)",
                            [(str(path), number, sort) for number, (sort, path) in enumerate(dated)])
        self.db.executemany("INSERT INTO indexed VALUES (?, NULL, NULL)", [(str(path),) for path in unindexed])
        self._meta = {"format": FORMAT, "shards": shards, "total": total, "keys": keys,
                      "categories": page_categories, "years": page_years}

    def postings(self, shard: int, records: list[tuple]) -> None:
        self.db.executemany("INSERT INTO posting VALUES (?, ?, ?, ?, ?)",
                            [(key, shard, bytes(gaps), bytes(weights), last)
                             for key, gaps, weights, last in records])

    def finish(self, meta: bytes) -> None:
        self._meta["meta_digest"] = bytes_digest(meta)
        self.db.execute("INSERT INTO index_meta VALUES (?)", (json.dumps(self._meta, ensure_ascii=False),))
        self.cache.forget_replaced()

    # -- an update in place -------------------------------------------------------------
    def update(self, site_dir: Path, folder: str, pages: list[Path]) -> dict | None:
        """Bring the index up to `pages` in place; its counts, or None when this change
        needs the full pass (nothing has been written then)."""
        plan = self._plan(Path(site_dir), folder, pages)
        if plan is None:
            return None
        meta, rewritten, numbers = plan
        dropped: dict[str, set[int]] = {}   # key -> old numbers it leaves
        placed: dict[str, dict[int, int]] = {}  # key -> {new number: weight}
        for old, new, old_keys, new_keys in numbers:
            old_weights, new_weights = dict(zip(*old_keys)), dict(zip(*new_keys))
            for key in old_weights:
                if old != new or key not in new_weights:
                    dropped.setdefault(key, set()).add(old)
            for key, weight in new_weights.items():
                if old != new or old_weights.get(key) != weight:
                    placed.setdefault(key, {})[new] = weight
        shards = meta["shards"]
        touched = list(dropped.keys() | placed.keys())
        rows = self._rows(touched)
        shards_touched, total, keys = set(), meta["total"], meta["keys"]
        replaced, removed = [], []
        for key in touched:
            shard, gaps, weights, last = rows.get(key, (shard_of(key, shards), b"", b"", -1))
            total -= len(gaps) + len(weights)
            gaps, weights = bytearray(gaps), bytearray(weights)
            gone, wanted = dropped.get(key, ()), placed.get(key, {})
            if not gone and min(wanted) > last:  # only pages newer than all it holds
                for number in sorted(wanted):
                    varint(number - max(last, 0), gaps)
                    weights.append(wanted[number])
                    last = number
            else:
                numbers = page_numbers(gaps)
                kept = [(number, weight) for number, weight in zip(numbers, weights) if number not in gone]
                numbers, weights = [number for number, _ in kept], bytearray(weight for _, weight in kept)
                for number, weight in sorted(wanted.items()):
                    at = bisect_left(numbers, number)
                    if at < len(numbers) and numbers[at] == number:
                        weights[at] = weight
                    else:
                        numbers.insert(at, number)
                        weights.insert(at, weight)
                gaps, last = gaps_of(numbers), numbers[-1] if numbers else -1
            shards_touched.add(shard)
            if weights:
                total += len(gaps) + len(weights)
                replaced.append((key, shard, bytes(gaps), bytes(weights), last))
                keys += key not in rows
            else:
                removed.append((key,))
                keys -= 1
        if shard_count(total) != shards:
            return None
        target = Path(site_dir) / folder
        for number, path, page in rewritten:
            write_if_changed(target / "d" / f"{number}.json", document_bytes(Path(site_dir), path, page))
        self.db.executemany("REPLACE INTO posting VALUES (?, ?, ?, ?, ?)", replaced)
        self.db.executemany("DELETE FROM posting WHERE key = ?", removed)
        for shard in sorted(shards_touched):
            records = self.db.execute("SELECT key, gaps, weights FROM posting WHERE shard = ? ORDER BY key",
                                      (shard,))
            write_if_changed(target / "s" / f"{shard}.bin", shard_bytes(records))
        meta_file = meta_bytes(shards, meta["categories"], meta["years"])
        write_if_changed(target / "meta.json", meta_file)
        meta.update(total=total, keys=keys, meta_digest=bytes_digest(meta_file))
        self.db.execute("UPDATE index_meta SET value = ?", (json.dumps(meta, ensure_ascii=False),))
        self.cache.forget_replaced()
        return {"pages": len(meta["categories"]), "keys": keys, "shards": shards, "bytes": total,
                "updated": len(rewritten)}

    def _plan(self, site_dir: Path, folder: str, pages: list[Path]):
        """(meta, rewritten, numbers) with the numbering recorded, or None when the full
        pass is needed. `rewritten` lists (number, path, page) of every page whose d/ file
        changes: edited, new, or moved up by newer pages; `numbers` holds (old number,
        new number, old keys, new keys) of each, old None for a new page."""
        row = self.db.execute("SELECT value FROM index_meta").fetchone()
        meta = json.loads(row[0]) if row else None
        if not meta or meta.get("format") != FORMAT or not self._intact(site_dir / folder, meta):
            return None
        known = {path: (number, sort) for path, number, sort in self.db.execute("SELECT * FROM indexed")}
        current = {str(path) for path in pages}
        if any(number is not None and path not in current for path, (number, _sort) in known.items()):
            return None  # a page left the site: every later number moves
        old_keys = self.cache.replaced()
        order = sorted((sort, Path(path)) for path, (number, sort) in known.items() if number is not None)
        read, unindexed = {}, []
        for path in pages:
            key = str(path)
            if key in known and key not in old_keys:
                continue
            page = self.cache.read(path)
            number, sort = known.get(key, (None, None))
            if page is None:
                if number is not None:
                    return None  # a page leaves the index
                unindexed.append(path)
            elif key in known and number is None:
                return None  # a page enters the index among the others
            elif number is not None and chronological_key(page) != sort:
                return None  # it moves in time
            else:
                read[key] = page
                if number is None:
                    order.append((chronological_key(page), path))
        order.sort()
        moved_from = len(order)
        for number, (_sort, path) in enumerate(order):
            if known.get(str(path), (None,))[0] != number:
                moved_from = number
                break
        if len(order) - moved_from > MOVED_PAGES_LIMIT:
            return None  # too many pages to renumber: the full pass is cheaper
        categories, years = meta["categories"], meta["years"]
        categories += [""] * (len(order) - len(categories))
        years += [0] * (len(order) - len(years))
        rewritten, numbers = [], []
        for number, (sort, path) in enumerate(order):
            key = str(path)
            old = known.get(key, (None,))[0]
            if number < moved_from and key not in read:
                continue
            page = read.get(key) or self.cache.read(path)
            categories[number], years[number] = page["category"], page_year(page)
            rewritten.append((number, path, page))
            previous = old_keys.get(key) or page["keys"] if old is not None else ([], b"")
            numbers.append((old, number, previous, page["keys"]))
        self.db.executemany("DELETE FROM indexed WHERE path = ?",
                            [(path,) for path in known if path not in current])
        self.db.executemany("REPLACE INTO indexed VALUES (?, NULL, NULL)", [(str(path),) for path in unindexed])
        self.db.executemany("REPLACE INTO indexed VALUES (?, ?, ?)",
                            [(str(path), number, chronological_key(page)) for number, path, page in rewritten])
        return meta, rewritten, numbers

    def _rows(self, keys: list[str]) -> dict[str, tuple]:
        rows = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, *values in self.db.execute(
                    f"SELECT key, shard, gaps, weights, last FROM posting WHERE key IN ({marks})", chunk):
                rows[key] = tuple(values)
        return rows

    @staticmethod
    def _intact(target: Path, meta: dict) -> bool:
        """Whether the index folder still is the one this state wrote: its meta.json,
        and as many shards and result files (an index removed or copied over by hand
        is written afresh)."""
        try:
            if bytes_digest((target / "meta.json").read_bytes()) != meta.get("meta_digest"):
                return False
            counts = []
            for name in ("s", "d"):
                with os.scandir(target / name) as entries:
                    counts.append(sum(1 for entry in entries if not entry.name.endswith(SIBLING_SUFFIXES)))
        except OSError:
            return False
        return counts == [meta["shards"], len(meta["categories"])]
