"""`invoke check` for markup: what the body allow-list would remove from an article or a
page, and metadata that will not read the way its author expects.

The bodies are converted with the site's own Markdown settings, as the build converts
them, so the check names exactly what the build removes. Things that could run code or
load a foreign page (<script>, on… handlers, javascript: links, an <iframe> from a host
not in PORTAL_EMBED_HOSTS) are errors; other removed markup is a warning. The build
publishes the cleaned body either way.
"""
from __future__ import annotations

import re
from pathlib import Path

from markdown import Markdown

from cityportal.markup import BodyPolicy, locate, plain_text
from cityportal.metadata import SourceFile, markdown_files, read_source
from cityportal.problems import ERROR, WARNING, Problem

_TAG_LIKE = re.compile(r"<[A-Za-z/!?][^>]{0,40}>?")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def markdown_converter(settings: dict) -> Markdown:
    """A converter configured like Pelican's Markdown reader."""
    config = dict(settings.get("MARKDOWN", {}))
    extension_configs = config.get("extension_configs", {})
    extensions = list(config.get("extensions", []))
    for name in [*extension_configs, "markdown.extensions.meta"]:
        if name not in extensions:
            extensions.append(name)
    config["extensions"] = extensions
    return Markdown(**config)


def _text_field_problems(source: SourceFile, name: str, value: str, line: int) -> list[Problem]:
    label = name.capitalize()
    problems = []
    tag = _TAG_LIKE.search(value)
    if tag:
        problems.append(Problem(source.path, line, WARNING,
                                f'trường "{label}" chứa "{tag.group(0)}": đây là văn bản thường, '
                                "trang sẽ hiện đúng các ký tự này chứ không thành thẻ HTML"))
    entity = _ENTITY.search(value)
    if entity:
        problems.append(Problem(source.path, line, WARNING,
                                f'trường "{label}" chứa "{entity.group(0)}", sẽ hiện nguyên văn; '
                                "gõ thẳng ký tự (&, <, \", …)"))
    if plain_text(value) != " ".join(value.split()):
        problems.append(Problem(source.path, line, WARNING,
                                f'trường "{label}" chứa ký tự điều khiển hoặc ký tự đổi hướng chữ '
                                "không nhìn thấy; bản dựng bỏ chúng đi"))
    return problems


def _removal_problems(source: SourceFile, removals, lines) -> list[Problem]:
    return [Problem(source.path, line, ERROR if removal.dangerous else WARNING, removal.message)
            for removal, line in zip(removals, lines)]


def check_source(source: SourceFile, policy: BodyPolicy, converter: Markdown,
                 formatted_fields=("summary",)) -> list[Problem]:
    problems = []
    for name, (value, line) in source.fields.items():
        if name in formatted_fields:
            removals = policy.removals(converter.reset().convert("\n" + value))
            problems += _removal_problems(source, removals, [line] * len(removals))
        else:
            problems += _text_field_problems(source, name, value, line)
    # The leading blank line keeps the metadata step off the body's first line.
    removals = policy.removals(converter.reset().convert("\n" + source.body))
    lines = locate(source.body.splitlines(), [r.needle for r in removals], source.body_start)
    problems += _removal_problems(source, removals, lines)
    return problems


def find_problems(content_dir: Path, settings: dict) -> list[Problem]:
    policy = BodyPolicy(settings.get("PORTAL_EMBED_HOSTS", ()))
    converter = markdown_converter(settings)
    formatted = tuple(name.lower() for name in settings.get("FORMATTED_FIELDS", ["summary"]))
    problems = []
    for path in markdown_files(Path(content_dir), [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]):
        try:
            source = read_source(path)
        except (OSError, UnicodeDecodeError):
            continue  # cityportal.editorial reports files it cannot read
        problems += check_source(source, policy, converter, formatted)
    return problems
