"""The defaults `riskflow init` loads: each feature adds a loader; every loader is idempotent."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session

LOADERS: list[Callable[[Session], None]] = []


def loader(fn: Callable[[Session], None]) -> Callable[[Session], None]:
    """Register FN to run at every `riskflow init`; it must change nothing the second time."""
    LOADERS.append(fn)
    return fn


def load(session: Session) -> None:
    """Run every registered loader."""
    for fn in LOADERS:
        fn(session)
