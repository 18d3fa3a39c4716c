"""`python -m bench.load`: a bounded loopback load run against the production server, one table out.

200 simulated users sign in over 30 s (each a browser of its own: cookie jar, keep-alive connection),
and every signed-in user then opens pages, reads and writes through the API with 1–5 s of think time,
until 90 s after the sign-in window has closed. The client is one asyncio process (aiohttp) at low priority
(`os.nice`), separate from the server; its own CPU is measured and printed beside the server's.
On PostgreSQL: run it under `.ci/with-postgres` (it takes RISKFLOW_TEST_DATABASE_URL).
`--table FILE` prints the markdown table of every database measured into FILE.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from .__main__ import free_port

HERE = Path(__file__).resolve().parent
PASSWORD = "load-password-1"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KINDS = ("sign-in", "page", "API read", "API write")
# The targets, p95 in seconds per kind (and no errors of any kind).
TARGETS = {"sign-in": 1.0, "page": 0.3, "API read": 0.3, "API write": None}
PAGES = ("/", "/risks", "/heatmap", "/warnings", "/incidents", "/supervision")
MIX = (("page", 0.55), ("API read", 0.30), ("API write", 0.15))
RESPONSES = ("成立专项小组，每周跟踪", "加强客户信用评估", "调整销售策略，稳定重点客户", "完善合同审核流程")


# ---------------------------------------------------------------- the company

def prepare(home: Path, env: dict, users: int) -> list[dict]:
    """`riskflow init --demo`, then USERS more people in bulk; each one's name, token and write target."""
    init = subprocess.run([sys.executable, "-m", "riskflow.cli", "init", "--demo"], env=env, capture_output=True,
                          text=True)
    if init.returncode:
        raise RuntimeError(f"riskflow init --demo failed: {init.stderr[-2000:]}")
    os.environ.update(env)
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from riskflow import create_app, periods
    from riskflow.auth import policy
    from riskflow.auth import service as auth_service
    from riskflow.auth.models import Unit, User
    from riskflow.db import session_scope
    from riskflow.register import assessments
    from riskflow.register.models import Assessment, Risk, RiskWarning

    app = create_app()
    people = []
    with app.app_context(), session_scope(app) as s:
        month = periods.current()
        units = {u.code: u.id for u in s.scalars(select(Unit).where(Unit.kind == "sales"))}
        codes = sorted(units)
        # Every user's password is real scrypt (what a sign-in costs); one hash serves them all.
        password_hash = generate_password_hash(PASSWORD, method=app.config["PASSWORD_HASH_METHOD"])
        rows = [{"username": f"load{n:03d}", "display_name": f"压测用户{n}", "role": role, "unit_id": units[code],
                 "password_hash": password_hash}
                for n in range(users)
                for code, role in [(codes[n % len(codes)], ("risk_officer", "unit_head")[(n // len(codes)) % 2])]]
        s.execute(insert(User), rows)
        risks = {code: list(s.scalars(select(Risk.id).where(Risk.unit_id == uid).order_by(Risk.id)))
                 for code, uid in units.items()}
        graded = set(s.scalars(select(Assessment.risk_id).where(Assessment.period == month)))
        officer = auth_service.user_by_name(s, "manager")
        for rid in (r for ids in risks.values() for r in ids if r not in graded):
            assessments.record(s, officer, rid, {"period": month, "likelihood": 3, "impact": 3, "rationale": "压测"})
        # Unit heads answer last month's warnings: revising this month's grades remakes this month's.
        last_month = periods.shift(month, -1)
        warned = {code: list(s.scalars(select(RiskWarning.id).join(Risk).where(
                      Risk.unit_id == uid, RiskWarning.period == last_month).order_by(RiskWarning.id)))
                  for code, uid in units.items()}
        for n in range(users):
            user = auth_service.user_by_name(s, f"load{n:03d}")
            code, turn = codes[n % len(codes)], n // (2 * len(codes))
            target = (risks[code][turn % len(risks[code])] if user.role == "risk_officer"
                      else warned[code][turn % len(warned[code])])
            people.append({"username": user.username, "role": user.role, "unit": code, "target": target,
                           "token": auth_service.create_token(s, policy.SYSTEM, user)})
    app.extensions["riskflow.engine"].dispose()
    for person in people:
        person["month"], person["last_month"] = month, last_month
    return people


# ---------------------------------------------------------------- the server

class Server:
    """The production server (`riskflow serve`) on a free loopback port."""

    def __init__(self, env: dict, args: list[str]):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.command = ["riskflow", "serve", "--port", str(self.port), *args]
        self.process = subprocess.Popen([sys.executable, "-m", "riskflow.cli", *self.command[1:]], env=env,
                                        stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not start: {self.output()[-2000:]}")

    def settled(self, seconds: float = 300) -> None:
        """Wait until the scheduler's catch-up at start (last month's reports) is over, if it runs."""
        deadline = time.monotonic() + seconds
        while "catch-up: mail_delivery" not in self.output():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the scheduler's catch-up did not end: {self.output()[-2000:]}")
            time.sleep(0.5)

    def cpu_seconds(self) -> float:
        """CPU time of the server and every process under it, reaped ones included."""
        return tree_cpu(self.process.pid)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def postgres_pid(url: str) -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine and says where its data is."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as con:
            folder = con.execute(text("SHOW data_directory")).scalar()
        return int((Path(folder) / "postmaster.pid").read_text().split()[0])
    except Exception:  # not a superuser, or not on this machine: its CPU counts among everything else
        return None
    finally:
        engine.dispose()


def tree_cpu(pid: int | None) -> float:
    """CPU seconds of PID and every process under it (reaped ones included); 0 without a PID."""
    return sum(_cpu(p) for p in _tree(pid)) if pid else 0.0


def machine_cpu() -> float:
    """CPU seconds spent by everything on the machine since boot (idle and I/O wait aside)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime (fields 14-17 of proc(5), counted after the command name)
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def server_problems(log: str) -> list[tuple[str, int]]:
    """The server's warnings and errors, each kind once with its count (timestamps and numbers aside)."""
    counts: dict[str, int] = {}
    for line in log.splitlines():
        if re.search(r"WARNING|ERROR|CRITICAL|Traceback", line):
            kind = re.sub(r"\d+", "N", re.sub(r"^[\d\-: ,\[\]+]+", "", line))[:160]
            counts[kind] = counts.get(kind, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


# ---------------------------------------------------------------- the client

class Recorder:
    def __init__(self):
        self.samples = {kind: [] for kind in KINDS}
        self.errors = {kind: 0 for kind in KINDS}
        self.examples: list[str] = []
        self.conflicts = 0

    def add(self, kind: str, seconds: float, ok: bool, what: str) -> None:
        self.samples[kind].append(seconds)
        if not ok:
            self.errors[kind] += 1
            if len(self.examples) < 10:
                self.examples.append(f"{kind}: {what}")


async def timed(recorder, kind, request, expect=(200,)):
    """Send REQUEST (an aiohttp context manager); record its time and whether its status was EXPECTed."""
    import aiohttp

    start = time.perf_counter()
    try:
        async with request as response:
            body = await response.read()
            ok = response.status in expect
            recorder.add(kind, time.perf_counter() - start, ok, f"{response.method} {response.url.path} "
                         f"{response.status} {body[:120]!r}")
            return response.status, body
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        recorder.add(kind, time.perf_counter() - start, False, f"{type(exc).__name__}: {exc}")
        return None, b""


async def user(person: dict, base: str, sign_in_at: float, stop_at: float, recorder: Recorder, seed: int,
               timeout: float) -> None:
    """One person: open the sign-in page, sign in, then page, read and write with think time until STOP_AT."""
    import aiohttp

    rng = random.Random(seed)
    await asyncio.sleep(max(0.0, sign_in_at - time.monotonic()))
    # A browser keeps its connection between clicks; closing it before the server's keep-alive (5 s) runs
    # out spares the race in which both ends close and a request is sent into a closing connection.
    connector = aiohttp.TCPConnector(limit=2, keepalive_timeout=3)
    async with aiohttp.ClientSession(base, connector=connector, timeout=aiohttp.ClientTimeout(total=timeout),
                                     cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        status, body = await timed(recorder, "page", http.get("/login"))
        match = CSRF.search(body.decode(errors="replace")) if status == 200 else None
        if match is None:
            recorder.add("sign-in", 0.0, False, "no sign-in form")
            return
        form = {"username": person["username"], "password": PASSWORD, "csrf_token": match.group(1)}
        status, _ = await timed(recorder, "sign-in", http.post("/login", data=form, allow_redirects=False),
                                expect=(302,))
        if status != 302:
            return
        await timed(recorder, "page", http.get("/"))
        api = {"Authorization": f"Bearer {person['token']}"}
        while True:
            think = rng.uniform(1, 5)
            if time.monotonic() + think >= stop_at:
                return
            await asyncio.sleep(think)
            kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
            if kind == "page":
                await timed(recorder, kind, http.get(rng.choice(PAGES)))
            elif kind == "API read":
                path = rng.choice(("/api/v1/risks?per_page=50", f"/api/v1/warnings?period={person['month']}",
                                   f"/api/v1/heatmap?period={person['month']}",
                                   f"/api/v1/major-risks?period={person['month']}"))
                await timed(recorder, kind, http.get(path, headers=api))
            else:
                await write(http, api, person, rng, recorder)


async def write(http, api: dict, person: dict, rng: random.Random, recorder: Recorder) -> None:
    """A grade revision (officers) or a warning response (unit heads), with the version read just before, as
    a form carries it."""
    target, officer = person["target"], person["role"] == "risk_officer"
    if officer:
        read = f"/api/v1/risks/{target}"
        path, method = f"/api/v1/risks/{target}/assessments/{person['month']}", "PUT"
        body = {"likelihood": rng.randint(1, 5), "impact": rng.randint(1, 5), "rationale": "压测修订"}
    else:
        read = f"/api/v1/warnings?period={person['last_month']}&per_page=200"
        path, method = f"/api/v1/warnings/{target}", "PATCH"
        body = {"response": rng.choice(RESPONSES), "progress": rng.choice((0, 20, 40, 60, 80))}
    for attempt in range(2):
        async with http.get(read, headers=api) as response:
            found = await response.json() if response.status == 200 else {}
        item = (found.get("latest") or {}) if officer else \
            next((w for w in found.get("items", []) if w["id"] == target), {})
        if "version" in item:
            body["version"] = item["version"]
        # A stale version (someone saved the same item in between) is refused with 409, rightly: the person
        # reads it again and saves once more, so the first refusal is a conflict, not an error.
        status, _ = await timed(recorder, "API write", http.request(method, path, json=body, headers=api),
                                expect=(200, 409) if attempt == 0 else (200,))
        if status != 409:
            return
        recorder.conflicts += 1


async def run_client(people: list[dict], base: str, sign_in_seconds: float, mix_seconds: float,
                     timeout: float) -> tuple[Recorder, float]:
    recorder = Recorder()
    rng = random.Random(20261122)
    start = time.monotonic() + 0.5
    stop_at = start + sign_in_seconds + mix_seconds
    times = sorted(start + rng.uniform(0, sign_in_seconds) for _ in people)
    await asyncio.gather(*(user(p, base, t, stop_at, recorder, n, timeout)
                           for n, (p, t) in enumerate(zip(people, times))))
    return recorder, time.monotonic() - start


# ---------------------------------------------------------------- figures

def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def summary(recorder: Recorder) -> dict:
    return {kind: {"requests": len(recorder.samples[kind]), "errors": recorder.errors[kind],
                   "p50": statistics.median(recorder.samples[kind]) if recorder.samples[kind] else None,
                   "p95": percentile(recorder.samples[kind], 0.95)}
            for kind in KINDS}


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f} ms"


def met(kind: str, figures: dict) -> bool:
    target = TARGETS[kind]
    return figures["errors"] == 0 and (target is None or (figures["p95"] is not None and figures["p95"] <= target))


def table(results: dict) -> str:
    """The markdown table of every database in RESULTS (what the README carries)."""
    lines = ["| database | kind | requests | errors | p50 | p95 | target (p95) | met |",
             "|---|---|---|---|---|---|---|---|"]
    for database, result in results["runs"].items():
        for kind in KINDS:
            f = result["kinds"][kind]
            target = "–" if TARGETS[kind] is None else f"≤ {ms(TARGETS[kind])}"
            lines.append(f"| {database} | {kind} | {f['requests']} | {f['errors']} | {ms(f['p50'])} | {ms(f['p95'])} "
                         f"| {target} | {'yes' if met(kind, f) else '**no**'} |")
    lines.append("")
    for database, r in results["runs"].items():
        lines.append(f"- {database}: `{r['server']}`, {r['users']} users, {r['seconds']:.0f} s, "
                     f"{r['requests_per_second']:.1f} requests/s. CPU in cores: riskflow {r['server_cpu']:.2f}, "
                     + (f"PostgreSQL {r['database_cpu']:.2f}, " if r.get("database_cpu") is not None else "")
                     + f"the load client {r['client_cpu']:.2f} (nice {r['nice']}), everything else on the machine "
                     f"{r['others_cpu']:.2f}; {r['machine']}, {r['date']}.")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--sign-in-seconds", type=float, default=30)
    parser.add_argument("--mix-seconds", type=float, default=90)
    parser.add_argument("--timeout", type=float, default=30, help="a request unanswered this long is an error")
    parser.add_argument("--server-args", default="", help="more arguments to `riskflow serve`, e.g. '--workers 2'")
    parser.add_argument("--nice", type=int, default=10, help="the client's niceness (the server keeps its own)")
    parser.add_argument("--out", type=Path, default=HERE / "load-results.json",
                        help="results of each database are kept here, by database")
    parser.add_argument("--table", type=Path, help="only print the table of the results in this file")
    args = parser.parse_args(argv)
    if args.table:
        results = json.loads(args.table.read_text())
        print(table(results))
        return 0 if all(met(kind, run["kinds"][kind]) for run in results["runs"].values() for kind in KINDS) else 1

    home = Path(tempfile.mkdtemp(prefix="riskflow-load-"))
    env = {**os.environ, "RISKFLOW_HOME": str(home)}
    url = os.environ.get("RISKFLOW_TEST_DATABASE_URL")
    database = "PostgreSQL" if url else "SQLite"
    if url:
        env["RISKFLOW_DATABASE_URL"] = url
    try:
        started = time.monotonic()
        people = prepare(home, env, args.users)
        print(f"{database}: company ready in {time.monotonic() - started:.0f} s; {args.users} users", flush=True)
        server = Server(env, shlex.split(args.server_args))
        try:
            if "--no-scheduler" not in args.server_args:
                server.settled()
            os.nice(args.nice)  # after the server started: it keeps the normal priority
            database_pid = postgres_pid(url) if url else None
            cpu_server, cpu_client, cpu_all = server.cpu_seconds(), time.process_time(), machine_cpu()
            cpu_database = tree_cpu(database_pid)
            recorder, seconds = asyncio.run(run_client(people, server.base, args.sign_in_seconds,
                                                       args.mix_seconds, args.timeout))
            cpu_server, cpu_client = server.cpu_seconds() - cpu_server, time.process_time() - cpu_client
            cpu_database = tree_cpu(database_pid) - cpu_database
            cpu_others = max(0.0, machine_cpu() - cpu_all - cpu_server - cpu_client - cpu_database)  # ticks vs. rounding
        finally:
            server.stop()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    kinds = summary(recorder)
    requests = sum(k["requests"] for k in kinds.values())
    result = {"server": f"riskflow serve {args.server_args}".strip(), "users": args.users,
              "seconds": seconds, "requests_per_second": requests / seconds, "kinds": kinds,
              "server_cpu": cpu_server / seconds, "client_cpu": cpu_client / seconds, "nice": args.nice,
              "database_cpu": cpu_database / seconds if database_pid else None, "others_cpu": cpu_others / seconds,
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "date": date.today().isoformat(), "conflicts": recorder.conflicts}
    results = json.loads(args.out.read_text()) if args.out.exists() else {"runs": {}}
    results["runs"][database] = result
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(table({"runs": {database: result}}))
    print(f"  stale versions refused and saved again: {recorder.conflicts}")
    for example in recorder.examples:
        print("  error:", example)
    for line, count in server_problems(server.output()):
        print(f"  server log, {count}×: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
