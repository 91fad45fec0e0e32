"""LEGAL_REFS_* settings and their defaults, for the build and for `invoke check`."""
from .catalog import DEFAULT_SEARCH_URL

DEFAULT_SETTINGS = {
    "LEGAL_REFS_REGISTRY_DIR": "van-ban",  # inside PATH
    "LEGAL_REFS_HOME_LOCALITY": None,  # e.g. "thành phố Sông Lam"
    "LEGAL_REFS_URL_PREFIX": "van-ban",
    "LEGAL_REFS_SEARCH_URL": DEFAULT_SEARCH_URL,
    "LEGAL_REFS_SIDEBAR_COUNT": 5,
    # "Bài viết liên quan" on a document page: the newest N citing articles (None: all).
    "LEGAL_REFS_RELATED_COUNT": 30,
    # A document known only from citations gets its own page when this many published
    # articles cite it; below that its links go to the national database's search.
    "LEGAL_REFS_STUB_PAGE_MIN_CITATIONS": 2,
}


def setting(settings, name):
    """A LEGAL_REFS_* value of `settings`, or its default."""
    return settings.get(name, DEFAULT_SETTINGS[name])
