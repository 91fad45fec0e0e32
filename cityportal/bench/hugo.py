"""The benchmark's second anchor: Hugo (Debian's `hugo` package) building the same
articles with a minimal theme: one page per article, paginated home, category and tag
listings, and the feeds Hugo writes by default.

The Markdown files keep their bodies; only the header becomes Hugo's TOML front matter.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from cityportal.metadata import markdown_files, read_source

CONFIG = """baseURL = "https://songlam.gov.vn/"
languageCode = "vi"
title = "Benchmark"
disableKinds = ["robotsTXT"]
paginate = 10
[taxonomies]
  category = "categories"
  tag = "tags"
"""

LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
                            "<title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "_default/single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>"
                            "<time>{{ .Date.Format \"02/01/2006\" }}</time>{{ .Content }}</article>{{ end }}\n",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range (.Paginate .Pages).Pages }}"
                          "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>"
                          "{{ template \"_internal/pagination.html\" . }}{{ end }}\n",
}
LAYOUTS["index.html"] = LAYOUTS["_default/list.html"]


def hugo_available() -> bool:
    return shutil.which("hugo") is not None


def write_hugo_site(content_dir: Path, site_dir: Path) -> Path:
    """A Hugo site in `site_dir` holding the articles of `content_dir`."""
    content_dir, site_dir = Path(content_dir), Path(site_dir)
    shutil.rmtree(site_dir, ignore_errors=True)
    (site_dir / "content" / "posts").mkdir(parents=True)
    (site_dir / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (site_dir / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / "layouts" / name).write_text(text, encoding="utf-8")
    for path in markdown_files(content_dir, ["articles"]):
        source = read_source(path)
        date = source.get("Date").replace(" ", "T") + ":00+07:00"
        front = [f"title = {json.dumps(source.get('Title'), ensure_ascii=False)}",
                 f"date = {date}",
                 f"slug = {json.dumps(source.get('Slug'))}",
                 f"categories = [{json.dumps(source.get('Category'), ensure_ascii=False)}]",
                 "tags = [" + ", ".join(json.dumps(tag.strip(), ensure_ascii=False)
                                        for tag in source.get("Tags").split(",")) + "]",
                 f"summary = {json.dumps(source.get('Summary'), ensure_ascii=False)}"]
        (site_dir / "content" / "posts" / f"{source.get('Slug')}.md").write_text(
            "+++\n" + "\n".join(front) + "\n+++\n" + source.body, encoding="utf-8")
    return site_dir


def hugo_command(site_dir: Path, output: Path) -> list[str]:
    return ["hugo", "--quiet", "--source", str(site_dir), "--destination", str(output)]
