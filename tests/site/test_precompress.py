"""Precompression of a built site: correct bytes, only text, and no work for unchanged files."""
from __future__ import annotations

import gzip
import os

import brotli

from cityportal.precompress import compress_tree

PAGE = ("<!doctype html><html lang=\"vi\"><body>"
        + "<p>Thông báo của Ủy ban nhân dân thành phố về cải cách hành chính.</p>" * 50
        + "</body></html>").encode()


def _site(root):
    (root / "bai-viet").mkdir(parents=True)
    (root / "bai-viet" / "index.html").write_bytes(PAGE)
    (root / "theme" / "css").mkdir(parents=True)
    (root / "theme" / "css" / "portal.abc123.css").write_text("body{color:#1a1a1a}" * 40)
    (root / "robots.txt").write_text("User-agent: *\n")
    (root / "anh.jpg").write_bytes(os.urandom(4000))
    return root


def test_text_files_get_exact_gzip_and_brotli_siblings(tmp_path):
    site = _site(tmp_path / "output")
    report = compress_tree(site, tmp_path / "cache" / "manifest.json")
    page = site / "bai-viet" / "index.html"
    assert gzip.decompress((site / "bai-viet" / "index.html.gz").read_bytes()) == PAGE
    assert brotli.decompress((site / "bai-viet" / "index.html.br").read_bytes()) == PAGE
    assert (site / "theme" / "css" / "portal.abc123.css.gz").exists()
    # nginx gzip_static compares nothing, but equal mtimes make stale siblings easy to spot.
    assert (site / "bai-viet" / "index.html.gz").stat().st_mtime_ns == page.stat().st_mtime_ns
    assert not (site / "robots.txt.gz").exists()  # too small to be worth it
    assert not (site / "anh.jpg.gz").exists()  # already compressed formats are left alone
    assert (report.compressed, report.too_small) == (2, 1)
    assert report.bytes_gzip < report.bytes_in / 5


def test_rewritten_but_identical_files_are_not_compressed_again(tmp_path):
    site = _site(tmp_path / "output")
    manifest = tmp_path / "cache" / "manifest.json"
    compress_tree(site, manifest)
    sibling = site / "bai-viet" / "index.html.gz"
    first_stamp = sibling.stat().st_mtime_ns

    again = compress_tree(site, manifest)
    assert (again.compressed, again.unchanged) == (0, 2)

    # A build rewrites the page with the same bytes: a new mtime, no new compression.
    page = site / "bai-viet" / "index.html"
    page.write_bytes(PAGE)
    os.utime(page, ns=(first_stamp + 10**9, first_stamp + 10**9))
    rewritten = compress_tree(site, manifest)
    assert (rewritten.compressed, rewritten.unchanged) == (0, 2)
    assert sibling.stat().st_mtime_ns == first_stamp

    edited = PAGE.replace(b"</body>", "<p>Cập nhật.</p></body>".encode())
    page.write_bytes(edited)
    changed = compress_tree(site, manifest)
    assert changed.compressed == 1
    assert gzip.decompress(sibling.read_bytes()) == edited


def test_orphan_siblings_are_removed_and_gzip_only_mode(tmp_path):
    site = _site(tmp_path / "output")
    (site / "cu.html.gz").write_bytes(gzip.compress(b"old"))
    report = compress_tree(site, None, brotli_quality=None)
    assert report.removed_orphans == 1 and not (site / "cu.html.gz").exists()
    assert (site / "bai-viet" / "index.html.gz").exists()
    assert not (site / "bai-viet" / "index.html.br").exists()
