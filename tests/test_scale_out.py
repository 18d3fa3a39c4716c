"""Several processes on one PostgreSQL database: two web processes and two schedulers."""
import os
import subprocess
import sys
import time
import urllib.request

from conftest import cli_environment, on_postgres, sql
from observe import Lines
from browser import free_port
from test_reports import graded_company


def start(home, *args):
    """A `riskflow` process; its stderr is read as it comes (into .lines), so the pipe never fills."""
    env = {**os.environ, **cli_environment(home)}
    process = subprocess.Popen([sys.executable, "-m", "riskflow.cli", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    process.lines = Lines(process.stderr)
    return process


def wait_healthy(base):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            return urllib.request.urlopen(base + "/healthz", timeout=1).status
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not start")


@on_postgres
def test_two_web_processes_and_two_schedulers(app, home, company):
    graded_company(company)
    token = company.manager.headers["Authorization"]
    ports = [free_port(), free_port()]
    webs = [start(home, "serve", "--no-scheduler", "--port", str(port)) for port in ports]
    schedulers = [start(home, "scheduler"), start(home, "scheduler")]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            assert wait_healthy(base) == 200

        def call(base, method, path, body=None):
            import json

            data = json.dumps(body).encode() if body is not None else None
            request = urllib.request.Request(base + "/api/v1" + path, data=data, method=method,
                                             headers={"Authorization": token, "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())

        risk = call(bases[0], "POST", "/risks", {"title": "经由一号进程", "unit": "BJ", "category": "price"})
        assert call(bases[1], "GET", f"/risks/{risk['id']}")["title"] == "经由一号进程"
        call(bases[1], "PATCH", f"/risks/{risk['id']}", {"version": 1, "owner": "经由二号进程"})
        assert call(bases[0], "GET", f"/risks/{risk['id']}")["owner"] == "经由二号进程"
        # Both schedulers catch up last month's report at start: once both have finished, it is made once.
        for scheduler in schedulers:
            scheduler.lines.wait_for(r"scheduler running; Ctrl-C stops it", seconds=120)
        assert sql(app, "SELECT kind, revision, state FROM reports WHERE kind='monthly'") == [("monthly", 1, "ready")]
        assert sql(app, "SELECT count(*) FROM job_runs WHERE job_id='overdue_check' AND state='done'") == [(1,)]
    finally:
        for process in webs + schedulers:
            process.terminate()
        for process in webs + schedulers:
            process.wait(timeout=15)
