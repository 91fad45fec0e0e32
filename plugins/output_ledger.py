"""Pelican glue for the output ledger: record the pages, feeds and static files Pelican
writes, and at the end write the list where `build_site` reads it to remove the rest.

Listed last in PLUGINS, so its `finalized` handler runs after every other plugin's."""
from pathlib import Path

from pelican import signals
from pelican.generators import StaticGenerator

from cityportal.output_ledger import LEDGER


def _start(pelican):
    LEDGER.clear()


def _record_written(path, **_):
    LEDGER.record(path)


def _record_static(generators):
    for generator in generators:
        if not isinstance(generator, StaticGenerator):
            continue
        output = Path(generator.output_path)
        LEDGER.record(*(output / static.save_as for static in generator.context["staticfiles"]))
        # Pelican copies each of the theme's static folders into THEME_STATIC_DIR.
        target = output / generator.settings["THEME_STATIC_DIR"]
        for folder in generator.settings["THEME_STATIC_PATHS"]:
            source = Path(generator.theme) / folder
            if source.is_file():
                LEDGER.record(target / source.name)
            else:
                LEDGER.record(*(target / path.relative_to(source)
                                for path in source.rglob("*") if path.is_file()))


def _write_ledger(pelican):
    ledger_file = pelican.settings.get("OUTPUT_LEDGER")
    if ledger_file:
        LEDGER.write(Path(ledger_file), Path(pelican.output_path))


def register():
    signals.initialized.connect(_start)
    signals.content_written.connect(_record_written)
    signals.feed_written.connect(_record_written)
    signals.all_generators_finalized.connect(_record_static)
    signals.finalized.connect(_write_ledger)
