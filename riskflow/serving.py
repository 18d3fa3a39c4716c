"""The production server of `riskflow serve`: gunicorn's prefork master, worker processes with threads.

One process is limited to one core by the GIL, so the machine's cores are used by several processes
behind one socket. Each worker builds its own app (its own database connections: nothing is shared
across the fork). Idle keep-alive connections of browsers between two clicks cost a worker nothing and
are closed after a few seconds, so they never hold the door shut on people signing in.
"""
from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication

KEEPALIVE_SECONDS = 5  # a browser's next click usually comes sooner; a proxy in front keeps its own
GRACEFUL_SECONDS = 20  # requests under way at a stop or restart get this long to finish


def cores() -> int:
    """The cores this process may run on: the default number of workers."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def bind_address(host: str, port: int) -> str:
    """HOST:PORT as gunicorn takes it (an IPv6 address in brackets)."""
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


class Server(BaseApplication):
    """WORKERS processes of THREADS threads on HOST:PORT; with SCHEDULER, exactly one of them runs the jobs."""

    def __init__(self, host: str, port: int, workers: int, threads: int, scheduler: bool):
        self.settings = {
            "bind": [bind_address(host, port)],
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "keepalive": KEEPALIVE_SECONDS,
            "graceful_timeout": GRACEFUL_SECONDS,
            # gthread workers report alive from their main thread, so a long request (a report) is not cut.
            "timeout": 120,
            "proc_name": "riskflow",
            "accesslog": None,
            "errorlog": "-",
            # Several servers on one machine would fight over gunicorn's one default control socket.
            "control_socket_disable": True,
        }
        self.scheduler = scheduler
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self):
        """In each worker, after the fork: the app, and its bid to run the scheduler."""
        from . import create_app

        app = create_app()
        if self.scheduler:
            from .scheduling import scheduler

            scheduler.start_in_one_process(app)
        return app
