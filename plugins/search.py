"""Pelican glue for search: the /tim-kiem/ page and a filter giving templates the folded
words Pagefind needs. The index itself is built after Pelican (see indexing.py)."""
from pelican import signals

from cityportal.search.folding import folded_d_words
from cityportal.search.indexing import INDEX_FOLDER
from cityportal.search.service import SERVICE_PATH

DEFAULT_SAVE_AS = "tim-kiem/index.html"


def search_extra_words(content) -> str:
    """Folded forms of the đ-words of an article, for a hidden element inside its body."""
    return " ".join(folded_d_words(content.title, getattr(content, "summary", ""), content.content))


def search_fold_words(text: str) -> str:
    """The same folded đ-words for any text, e.g. a document's title."""
    return " ".join(folded_d_words(text))


def _configure(pelican):
    settings = pelican.settings
    if "search" not in settings["DIRECT_TEMPLATES"]:
        settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], "search"]
    settings.setdefault("SEARCH_SAVE_AS", DEFAULT_SAVE_AS)
    settings.setdefault("SEARCH_INDEX_FOLDER", INDEX_FOLDER)
    settings.setdefault("SEARCH_SERVICE_PATH", SERVICE_PATH)
    settings["JINJA_FILTERS"] = {
        **settings["JINJA_FILTERS"],
        "search_extra_words": search_extra_words,
        "search_fold_words": search_fold_words,
    }


def register():
    signals.initialized.connect(_configure)
