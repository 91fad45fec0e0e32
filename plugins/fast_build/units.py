"""The writer's units of work: one per output file Pelican asks for.

A `write_file` call writes one file, or, for a paginated listing, one file per page.
Each page is its own unit, so a listing whose later pages did not change renders only
the pages that did.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from pelican import writers
from pelican.writers import Writer

_SIGNATURE = inspect.signature(Writer.write_file)


@dataclass
class Call:
    """A write_file call with its arguments by name."""

    name: str
    template: object
    context: dict
    relative_urls: bool
    paginated: dict | None
    template_name: str | None
    override_output: bool
    url: str | None
    kwargs: dict


@dataclass
class Unit:
    job: object  # the RenderJob
    key: str  # the output file, relative to the output folder
    call: Call
    page: int | None = None  # 1-based page of a paginated listing
    paginators: dict = field(default_factory=dict)
    digest: str = ""


def bind(job) -> Call:
    arguments = _SIGNATURE.bind(None, job.name, *job.args, **job.kwargs).arguments
    return Call(
        name=job.name, template=arguments["template"], context=arguments["context"],
        relative_urls=arguments.get("relative_urls", False),
        paginated=arguments.get("paginated"), template_name=arguments.get("template_name"),
        override_output=arguments.get("override_output", False), url=arguments.get("url"),
        kwargs=dict(arguments.get("kwargs", {})),
    )


def plan_units(jobs, settings, digests) -> list[Unit]:
    """Every output of `jobs`, with its digest from `digests` (None: no digest, so every
    unit renders). Outputs written by two calls (a page overriding a listing) never
    skip, so the order of writes stays Pelican's."""
    units = []
    for job in jobs:
        call = bind(job)
        paginated = call.paginated
        if paginated is None:
            paginated = {k: v for k, v in call.kwargs.items() if k in {"articles", "dates"}}
        if paginated and call.template_name in settings["PAGINATED_TEMPLATES"]:
            per_page = (settings["PAGINATED_TEMPLATES"][call.template_name]
                        or settings["DEFAULT_PAGINATION"])
            # The class Pelican's own writer would use (plugins.listing_pages puts its own there).
            paginators = {key: writers.Paginator(call.name, call.url, value, settings, per_page)
                          for key, value in paginated.items()}
            first = next(iter(paginators.values()))
            for number in range(1, first.num_pages + 1):
                units.append(Unit(job, first.page(number).save_as, call, number, paginators))
        else:
            units.append(Unit(job, call.name, call))
    seen: dict[str, int] = {}
    for unit in units:
        seen[unit.key] = seen.get(unit.key, 0) + 1
    for unit in units:
        if digests is None or seen[unit.key] > 1:
            unit.digest = ""
        else:
            unit.digest = digests(unit)
    return units
