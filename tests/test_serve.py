"""`riskflow serve`: several worker processes behind one port, the scheduler in exactly one of them, and
a door that stays open to people signing in while many browsers keep idle connections."""
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from conftest import PASSWORD, cli_environment
from observe import Lines, until
from browser import free_port

SCHEDULER = r"scheduler (running|standing by) in process (\d+)"


@pytest.fixture
def serve(app, home):
    """Start `riskflow serve ARGS` on a free port; yields (base URL, process, its stderr lines) per call."""
    started = []

    def start(*args):
        port = free_port()
        env = {**os.environ, **cli_environment(home)}
        process = subprocess.Popen([sys.executable, "-m", "riskflow.cli", "serve", "--port", str(port), *args],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        started.append(process)
        base, lines = f"http://127.0.0.1:{port}", Lines(process.stderr)
        until(lambda: _status(base + "/healthz") == 200 or process.poll() is not None, 60, "the server answering")
        assert process.poll() is None, lines.text()
        return base, process, lines

    yield start
    for process in started:
        process.terminate()
    for process in started:
        process.wait(timeout=30)


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return None


def sign_in(base: str, username: str, timeout: float = 10) -> int:
    """Open the sign-in page and sign in, as a new browser; the answer's status (302 on success)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)
    page = opener.open(base + "/login", timeout=timeout).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
    try:
        return opener.open(base + "/login", data=form, timeout=timeout).status
    except urllib.error.HTTPError as answer:
        return answer.code


def test_two_workers_answer_on_one_port_and_exactly_one_runs_the_scheduler(serve, company):
    base, process, lines = serve("--workers", "2")
    workers = {int(m.group(1)) for m in lines.wait_for(r"Booting worker with pid: (\d+)", count=2)}
    assert len(workers) == 2
    roles = {int(m.group(2)): m.group(1) for m in lines.wait_for(SCHEDULER, count=2)}
    assert set(roles) == workers
    assert sorted(roles.values()) == ["running", "standing by"]
    leader = next(pid for pid, role in roles.items() if role == "running")
    other = (workers - {leader}).pop()
    # Each worker answers on the shared port by itself while the other is stopped.
    for paused in (leader, other):
        os.kill(paused, signal.SIGSTOP)
        try:
            assert _status(base + "/healthz") == 200
            assert sign_in(base, "manager") == 302
        finally:
            os.kill(paused, signal.SIGCONT)
    # The worker running the scheduler dies: the one standing by takes over; its replacement stands by.
    os.kill(leader, signal.SIGKILL)
    lines.wait_for(rf"scheduler running in process {other}\b")
    replacement = int(lines.wait_for(r"Booting worker with pid: (\d+)", count=3)[-1].group(1))
    lines.wait_for(rf"scheduler standing by in process {replacement}\b")
    assert [m.group(2) for m in lines.matching(r"scheduler (running) in process (\d+)")] == [str(leader), str(other)]
    assert _status(base + "/healthz") == 200


def test_without_the_scheduler_no_worker_runs_it(serve, company):
    base, process, lines = serve("--workers", "2", "--no-scheduler")
    lines.wait_for(r"Booting worker with pid: (\d+)", count=2)
    assert sign_in(base, "manager") == 302
    assert lines.matching(SCHEDULER) == []


def test_sign_ins_are_answered_while_many_browsers_keep_idle_connections(serve, company):
    """Browsers keep their connection open between clicks; 150 of them must not shut out the 151st person."""
    base, process, lines = serve("--no-scheduler")
    port = int(base.rsplit(":", 1)[1])
    idle = []
    try:
        for _ in range(150):
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert connection.recv(65536).startswith(b"HTTP/1.1 200")
            idle.append(connection)
        assert sign_in(base, "manager") == 302
    finally:
        for connection in idle:
            connection.close()
