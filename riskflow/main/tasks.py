"""What waits on a user: each feature adds a provider; the dashboard lists what they return."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy.orm import Session


@dataclass
class Task:
    """One line of "waiting on me": what, how many, and the link to the list filtered to exactly those.

    ITEMS optionally names a few of them, as (text, url) pairs (the leader's top 3)."""

    label: str
    count: int
    url: str
    urgent: bool = False
    items: tuple = ()


PROVIDERS: list[Callable[[Session, object], list[Task]]] = []


def provider(fn):
    """Register FN(session, user) -> [Task] as a source of the dashboard's "waiting on me"."""
    PROVIDERS.append(fn)
    return fn


def waiting_on(session: Session, user) -> list[Task]:
    """Every task for USER with something to do."""
    return [task for fn in PROVIDERS for task in fn(session, user) if task.count]
