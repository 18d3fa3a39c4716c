"""The defaults `riskflow init` loads: each feature adds a loader; every loader is idempotent."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

# A loader returns one line (translatable) per thing it did, or None when it had nothing to do.
Loader = Callable[[Session], Iterable[str] | None]
LOADERS: list[Loader] = []


def loader(fn: Loader) -> Loader:
    """Register FN to run at every `riskflow init`; it must change nothing the second time."""
    LOADERS.append(fn)
    return fn


def load(session: Session) -> list[str]:
    """Run every registered loader; returns what they did, one line each."""
    done = []
    for fn in LOADERS:
        done += fn(session) or []
    return done
