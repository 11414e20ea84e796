"""Keep optional heavy modules from being imported where fazhi does not need them."""
import contextlib
import sys


@contextlib.contextmanager
def without(*modules: str):
    """Imports of ``modules`` fail inside the block (libraries that import them only
    optionally then go on without): scikit-learn imports pandas (0.2-0.3 s) whenever
    it is installed, jieba imports pkg_resources (0.1-0.2 s) just to open its files."""
    blocked = [m for m in modules if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None
    try:
        yield
    finally:
        for m in blocked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
