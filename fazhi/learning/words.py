"""Words of a normalized text, by jieba, its dictionary cached per user."""
from functools import lru_cache

_JIEBA = None


def _cache_dir() -> str | None:
    """fazhi's per-user cache folder ($XDG_CACHE_HOME/fazhi, else ~/.cache/fazhi); None if unwritable."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "fazhi")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def _jieba():
    global _JIEBA
    if _JIEBA is None:
        import logging

        from fazhi.imports import without

        with without("pkg_resources"):  # jieba then opens its files by path
            import jieba

        jieba.setLogLevel(logging.WARNING)
        if jieba.dt.tmp_dir is None and jieba.dt.cache_file is None:
            # jieba caches its dictionary in the temp folder by default, where another
            # user's file or a cleaned /tmp makes every run rebuild it (~1-2 s)
            jieba.dt.tmp_dir = _cache_dir()
        jieba.initialize()
        _JIEBA = jieba
    return _JIEBA


@lru_cache(maxsize=100_000)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(w for w in _jieba().lcut(text) if w.strip())


def jieba_words(text: str) -> list[str]:
    """Words of a normalized text, by jieba (cached: each text is cut once)."""
    return list(_cut(text))
