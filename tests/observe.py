"""Waiting for what another process does, by what can be seen of it, never for a fixed time."""
from __future__ import annotations

import re
import threading
import time


def until(check, seconds: float, what: str, every: float = 0.05):
    """CHECK()'s first true value, polled until SECONDS have passed; then an AssertionError naming WHAT."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not seen within {seconds:g} s: {what}")
        time.sleep(every)


class Lines:
    """The lines a process writes to STREAM, collected as they come by a thread."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for line in stream:
            with self._lock:
                self.lines.append(line if isinstance(line, str) else line.decode(errors="replace"))

    def matching(self, pattern: str) -> list[re.Match]:
        """Every line's match of PATTERN so far."""
        with self._lock:
            return [m for m in map(re.compile(pattern).search, self.lines) if m]

    def wait_for(self, pattern: str, seconds: float = 60, count: int = 1) -> list[re.Match]:
        """The matches of PATTERN once there are COUNT of them."""
        return until(lambda: len(found := self.matching(pattern)) >= count and found, seconds,
                     f"{count} line(s) matching {pattern!r}; the output so far:\n{self.text()[-3000:]}")

    def text(self) -> str:
        with self._lock:
            return "".join(self.lines)
