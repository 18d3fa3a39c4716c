"""`python -m bench [--scales 1,10]`: build a company per scale, measure, print one table with floors.

Each figure is printed beside the floor it is compared with in the same run (bare SQL, a hello-world
route of the same server, reportlab alone, openpyxl alone), and the results go to bench/results.json.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-password-1"


def timed(fn, repeat: int = 5) -> float:
    """The median seconds of REPEAT calls."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(home: Path, scale: int) -> tuple[object, dict]:
    os.environ["RISKFLOW_HOME"] = str(home)
    os.environ.pop("RISKFLOW_DATABASE_URL", None)
    from riskflow import create_app, defaults, migrate
    from riskflow.auth import policy
    from riskflow.auth import service as auth_service
    from riskflow.db import session_scope

    from . import generate

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        migrate.upgrade(app)
        with session_scope(app) as s:
            defaults.load(s)
        start = time.perf_counter()
        with session_scope(app) as s:
            made = generate.company(s, risks=10_000 * scale, incidents=5_000 * scale, projects=500 * scale)
            made.update(generate.indicators(s))
            made.update(generate.actions(s))
            made.update(generate.robots(s))
        made["generate_seconds"] = time.perf_counter() - start
        with session_scope(app) as s:
            user = auth_service.create_user(s, policy.SYSTEM, "bench", "risk_manager", PASSWORD)
            made["token"] = auth_service.create_token(s, policy.SYSTEM, user)
            made["unit_token"] = auth_service.create_token(
                s, policy.SYSTEM, auth_service.user_by_name(s, made["action_unit_user"]))
    return app, made


def in_process(app, made) -> dict:
    from sqlalchemy import text

    from riskflow.auth import policy
    from riskflow.db import get_session
    from riskflow.register import analysis

    period = made["period"]
    with app.app_context():
        db = get_session()

        def service():
            analysis.heatmap(db, policy.SYSTEM, period)
            analysis.major_risks(db, policy.SYSTEM, period, 10)

        def bare():
            db.execute(text("SELECT a.likelihood, a.impact, count(*) FROM assessments a JOIN risks r ON r.id = a.risk_id "
                            "WHERE a.period = :p AND r.status = 'active' GROUP BY a.likelihood, a.impact"), {"p": period}).all()
            db.execute(text("SELECT a.risk_id FROM assessments a JOIN risks r ON r.id = a.risk_id WHERE a.period = :p "
                            "AND r.status = 'active' ORDER BY a.score DESC, a.impact DESC, a.likelihood DESC, r.code "
                            "LIMIT 10"), {"p": period}).all()

        service()
        bare()
        return {"heatmap_ranking_s": timed(service), "heatmap_ranking_sql_s": timed(bare),
                **progress_in_process(app, db, period)}


def statements_of(app, fn) -> list[str]:
    """The SQL statements one call of FN runs."""
    from sqlalchemy import event

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    engine = app.extensions["riskflow.engine"]
    event.listen(engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return statements


def progress_in_process(app, db, period: str) -> dict:
    """The execution progress of last month's warnings (every action's row, each unit's tally, the warnings
    without any) beside its floor: bare SQL reading the same action rows; and the statements it runs."""
    from sqlalchemy import text

    from riskflow.actions import progress
    from riskflow.auth import policy

    def collect():
        return progress.collect(db, policy.SYSTEM, period)

    def bare():
        db.execute(text(
            "SELECT w.id, coalesce(r.code, i.code), coalesce(r.title, i.name), u.name, a.code, a.title, "
            "us.display_name, us.username, a.due_date, a.state FROM warnings w "
            "LEFT JOIN risks r ON r.id = w.risk_id LEFT JOIN indicators i ON i.id = w.indicator_id "
            "JOIN actions a ON a.warning_id = w.id JOIN users us ON us.id = a.owner_id "
            "LEFT JOIN units u ON u.id = coalesce(r.unit_id, i.unit_id) WHERE w.period = :p "
            "ORDER BY u.name, coalesce(r.code, i.code), a.code"), {"p": period}).all()

    rows = len(collect().rows)
    statements = statements_of(app, collect)
    bare()
    return {"progress_s": timed(collect), "progress_sql_s": timed(bare), "progress_rows": rows,
            "progress_statements": len(statements)}


def notifications_in_process(app, warnings: int = 10_000) -> dict:
    """Raising and queueing the notifications of the newest WARNINGS warnings (last month's, then the months
    before, as generate.actions gave them actions): each to its unit's officer and head (a company-wide
    indicator's to the risk managers), with a group message where the unit (or, company-wide, the company) has a
    robot. The warnings are read first; each run is rolled back to a savepoint, so they stay loaded."""
    from sqlalchemy import func, select

    from riskflow.db import get_session
    from riskflow.notifications import events
    from riskflow.notifications.models import Notification, WebhookDelivery
    from riskflow.register.models import RiskWarning

    app.config["WEBHOOK_URL"] = "http://127.0.0.1:9/robot/company"
    with app.app_context():
        db = get_session()
        chosen = list(db.scalars(select(RiskWarning).order_by(RiskWarning.period.desc(), RiskWarning.id)
                                 .limit(warnings)))
        counted = {}

        def run(count=False):
            savepoint = db.begin_nested()
            events.warning_raised(db, chosen)
            if count:
                counted["rows"] = db.scalar(select(func.count(Notification.id)))
                counted["posts"] = db.scalar(select(func.count(WebhookDelivery.id)))
            savepoint.rollback()

        statements = statements_of(app, run)
        run(count=True)
        seconds = timed(run, repeat=3)
        db.rollback()
    # The savepoint's own SAVEPOINT and ROLLBACK TO are not the events' statements.
    own = [s for s in statements if "SAVEPOINT" not in s.upper()]
    return {"notify_s": seconds, "notify_warnings": len(chosen), "notify_rows": counted["rows"],
            "notify_posts": counted["posts"], "notify_statements": len(own)}


class Server:
    def __init__(self, home: Path):
        self.port = free_port()
        env = {**os.environ, "RISKFLOW_HOME": str(home)}
        self.process = subprocess.Popen([sys.executable, "-m", "riskflow.cli", "serve", "--no-scheduler",
                                         "--port", str(self.port), "--threads", "8"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(self.base + "/ping", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def session_opener(base: str) -> urllib.request.OpenerDirector:
    """A browser-like client signed in as the bench user."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": "bench", "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(base + "/login", data=data).read()
    return opener


def latencies(fetch, n: int = 60) -> tuple[float, float]:
    fetch()
    runs = []
    for _ in range(n):
        start = time.perf_counter()
        fetch()
        runs.append(time.perf_counter() - start)
    runs.sort()
    return statistics.median(runs), runs[int(len(runs) * 0.95) - 1]


def throughput(fetch, seconds: float = 5.0, threads: int = 4) -> float:
    count = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def worker():
        while time.monotonic() < stop:
            fetch()
            with lock:
                count[0] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return count[0] / seconds


def over_http(home: Path, made: dict) -> dict:
    server = Server(home)
    try:
        base = server.base
        headers = {"Authorization": f"Bearer {made['token']}"}

        def risk_list():
            request = urllib.request.Request(base + "/api/v1/risks?unit=U05&level=major&per_page=50", headers=headers)
            urllib.request.urlopen(request).read()

        opener = session_opener(base)
        dashboard = lambda: opener.open(base + "/").read()  # noqa: E731
        risk_page = lambda: opener.open(base + "/risks?unit=U05").read()  # noqa: E731
        ping = lambda: urllib.request.urlopen(base + "/ping").read()  # noqa: E731
        indicator_figures = indicators_over_http(base, headers, opener, made["period"])
        unit_headers = {"Authorization": f"Bearer {made['unit_token']}"}

        def unit_actions():
            request = urllib.request.Request(base + "/api/v1/actions?per_page=50", headers=unit_headers)
            urllib.request.urlopen(request).read()

        actions_p50, actions_p95 = latencies(unit_actions)
        list_p50, list_p95 = latencies(risk_list)
        page_p50, page_p95 = latencies(risk_page)
        dash_p50, dash_p95 = latencies(dashboard, 30)
        return {"risk_list_api_p50_s": list_p50, "risk_list_api_p95_s": list_p95, "risk_list_page_p50_s": page_p50,
                "risk_list_page_p95_s": page_p95, "dashboard_p50_s": dash_p50, "dashboard_p95_s": dash_p95,
                "dashboard_rps": throughput(dashboard), "hello_rps": throughput(ping), **indicator_figures,
                "unit_actions_api_p50_s": actions_p50, "unit_actions_api_p95_s": actions_p95}
    finally:
        server.stop()


def indicators_over_http(base: str, headers: dict, opener, last: str) -> dict:
    """The indicators page (this month's status and the year to date of 1,000 indicators), the API list of 200,
    and one value recorded in the middle of a carry-over chain (a correction of June: July on are judged again)."""
    def get(path):
        urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)).read()

    found = json.loads(urllib.request.urlopen(urllib.request.Request(
        base + "/api/v1/indicators?per_page=200", headers=headers)).read())
    carry = next(i for i in found["items"] if i["carry_over"])
    june = f"{last[:4]}-06" if last[5:] >= "06" else f"{int(last[:4]) - 1}-06"
    flip = [150]

    def record():
        flip[0] = 310 - flip[0]  # 160, 150, 160 …: each a correction that moves the carry into July on
        body = json.dumps({"period": june, "value": flip[0]}).encode()
        request = urllib.request.Request(base + f"/api/v1/indicators/{carry['id']}/values", data=body, method="POST",
                                         headers={**headers, "Content-Type": "application/json"})
        urllib.request.urlopen(request).read()

    page = lambda: opener.open(base + "/indicators").read()  # noqa: E731
    api_p50, api_p95 = latencies(lambda: get("/api/v1/indicators?per_page=200"))
    page_p50, page_p95 = latencies(page, 30)
    record_p50, record_p95 = latencies(record)
    return {"indicator_page_p50_s": page_p50, "indicator_page_p95_s": page_p95, "indicator_api_p50_s": api_p50,
            "indicator_api_p95_s": api_p95, "indicator_record_p50_s": record_p50,
            "indicator_record_p95_s": record_p95}


MEASURE_REPORT = """
import resource, sys, time
from riskflow import create_app
app = create_app()
with app.app_context():
    from riskflow.db import get_session
    from riskflow.reports.service import build_pdf
    from riskflow import periods
    start = time.perf_counter()
    data, docx = build_pdf(get_session(), "monthly", sys.argv[1], "zh_CN", periods.today())
    print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(data))
"""
MEASURE_FLOOR = """
import io, resource, sys, time
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, SimpleDocTemplate
from riskflow import create_app
app = create_app()
with app.app_context():
    from riskflow.pdf import cjk_font
    font, _ = cjk_font(None)
    rows = [[str(n), f"U01-{n:04d}", f"规模测试风险 {n}", "第1销售分公司", "3×4", "12", "重要风险", "→"]
            for n in range(int(sys.argv[1]))]
    start = time.perf_counter()
    table = LongTable(rows, colWidths=[12 * mm, 20 * mm, 62 * mm, 30 * mm, 12 * mm, 12 * mm, 20 * mm, 12 * mm])
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 7.5)])
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build([table])
    print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
"""


def report(home: Path, made: dict, floor: bool = True) -> dict:
    """The monthly report in its own process; the floor only where asked (reportlab's LongTable grows
    worse than linearly: 100,000 rows take many minutes)."""
    env = {**os.environ, "RISKFLOW_HOME": str(home)}
    out = subprocess.run([sys.executable, "-c", MEASURE_REPORT, made["period"]], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    figures = {"report_s": float(out[0]), "report_peak_mb": float(out[1]), "report_floor_s": None,
               "report_floor_peak_mb": None}
    if floor:
        alone = subprocess.run([sys.executable, "-c", MEASURE_FLOOR, str(made["risks"])], env=env,
                               capture_output=True, text=True, check=True).stdout.split()
        figures.update(report_floor_s=float(alone[0]), report_floor_peak_mb=float(alone[1]))
    return figures


def transfer(app, home: Path, made: dict) -> dict:
    from openpyxl import Workbook, load_workbook

    from riskflow.auth import policy
    from riskflow.db import get_session
    from riskflow.register import transfer as register_transfer

    n = made["risks"]
    path = home / "import.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["title", "category", "unit", "owner"])
    for i in range(n):
        sheet.append([f"导入测试风险 {i}", "price", f"U{i % 20 + 1:02d}", "测试"])
    book.save(path)
    data = path.read_bytes()
    with app.app_context():
        db = get_session()
        start = time.perf_counter()
        register_transfer.import_risks(db, policy.SYSTEM, register_transfer.read_table(data, "import.xlsx"))
        import_s = time.perf_counter() - start
        db.rollback()
        start = time.perf_counter()
        rows = load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)
        sum(1 for _ in rows)
        floor_s = time.perf_counter() - start
        start = time.perf_counter()
        register_transfer.export_register(db, policy.SYSTEM, made["period"], home / "export.xlsx")
        export_s = time.perf_counter() - start
    return {"import_s": import_s, "import_floor_s": floor_s, "export_s": export_s}


TARGETS = (
    ("heat map + top 10 / bare SQL", lambda r: r["heatmap_ranking_s"] / r["heatmap_ranking_sql_s"], 1.5, "×"),
    ("risk list API p95 (s)", lambda r: r["risk_list_api_p95_s"], 0.025, "s"),
    ("dashboard rps / hello-world rps", lambda r: r["dashboard_rps"] / r["hello_rps"], 0.5, "≥"),
    ("monthly report (s)", lambda r: r["report_s"], 10, "s"),
    ("monthly report peak (MB)", lambda r: r["report_peak_mb"], 300, "MB"),
    ("import (s)", lambda r: r["import_s"], 15, "s"),
    ("export (s)", lambda r: r["export_s"], 3, "s"),
    ("indicators page p95 (s)", lambda r: r["indicator_page_p95_s"], 0.050, "s"),
    ("indicator value + carry-over p95 (s)", lambda r: r["indicator_record_p95_s"], 0.020, "s"),
    ("a unit's action list API p95 (s)", lambda r: r["unit_actions_api_p95_s"], 0.030, "s"),
    ("execution progress statements", lambda r: r["progress_statements"], 3, "n"),
    ("a month's warnings notified (s)", lambda r: r["notify_s"], 2, "s"),
)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scales", default="1", help="comma-separated multiples of 10,000 risks, e.g. 1,10")
    args = parser.parse_args(argv)
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
               "scales": {}}
    for scale in (int(s) for s in args.scales.split(",")):
        home = Path(tempfile.mkdtemp(prefix=f"riskflow-bench-{scale}-"))
        app, made = build(home, scale)
        figures = {**in_process(app, made), **notifications_in_process(app), **over_http(home, made),
                   **report(home, made, floor=scale == 1),
                   **transfer(app, home, made)}
        figures.update({k: made[k] for k in ("risks", "assessments", "incidents", "projects", "recommendations",
                                             "indicators", "indicator_values", "indicator_breaches",
                                             "actions", "action_warnings", "generate_seconds")})
        results["scales"][scale] = figures
        app.extensions["riskflow.engine"].dispose()
        shutil.rmtree(home, ignore_errors=True)
        (HERE / "results.json").write_text(json.dumps(results, indent=2, default=str))  # kept if a later scale fails
    print_table(results)
    return 0


def print_table(results) -> None:
    print(f"riskflow benchmark · {results['machine']}")
    for scale, r in results["scales"].items():
        print(f"\n{r['risks']:,} risks, {r['assessments']:,} grades, {r['incidents']:,} incidents, "
              f"{r['projects']:,} supervision projects with {r['recommendations']:,} recommendations "
              f"{r['indicators']:,} indicators with {r['indicator_values']:,} monthly values "
              f"({r['indicator_breaches']} breaches last month), {r['actions']:,} actions on "
              f"{r['action_warnings']:,} warnings; generated in {r['generate_seconds']:.0f} s")
        print(f"{'figure':40} {'value':>10} {'floor':>10}")
        rows = (
            ("heat map + top 10 (s)", r["heatmap_ranking_s"], r["heatmap_ranking_sql_s"]),
            ("risk list API p50 / p95 (s)", f"{r['risk_list_api_p50_s']:.4f}/{r['risk_list_api_p95_s']:.4f}", ""),
            ("risk list page p50 / p95 (s)", f"{r['risk_list_page_p50_s']:.4f}/{r['risk_list_page_p95_s']:.4f}", ""),
            ("dashboard p50 / p95 (s)", f"{r['dashboard_p50_s']:.4f}/{r['dashboard_p95_s']:.4f}", ""),
            ("dashboard rps (hello-world floor)", r["dashboard_rps"], r["hello_rps"]),
            ("monthly report with progress, PDF + Word (s)", r["report_s"], r["report_floor_s"]),
            ("monthly report peak MB", r["report_peak_mb"], r["report_floor_peak_mb"]),
            ("import (s), floor: openpyxl read", r["import_s"], r["import_floor_s"]),
            ("export (s)", r["export_s"], ""),
            ("indicators page p50 / p95 (s)", f"{r['indicator_page_p50_s']:.4f}/{r['indicator_page_p95_s']:.4f}", ""),
            ("indicator API, 200 a page p50 / p95 (s)",
             f"{r['indicator_api_p50_s']:.4f}/{r['indicator_api_p95_s']:.4f}", ""),
            ("indicator value + chain p50 / p95 (s)",
             f"{r['indicator_record_p50_s']:.4f}/{r['indicator_record_p95_s']:.4f}", ""),
            ("a unit's actions API p50 / p95 (s)",
             f"{r['unit_actions_api_p50_s']:.4f}/{r['unit_actions_api_p95_s']:.4f}", ""),
            (f"execution progress, {r['progress_rows']:,} actions (s)", r["progress_s"], r["progress_sql_s"]),
            ("execution progress statements", str(r["progress_statements"]), ""),
            (f"{r['notify_warnings']:,} warnings notified: {r['notify_rows']:,} lines, {r['notify_posts']:,} "
             f"group messages, {r['notify_statements']} statements (s)", r["notify_s"], ""),
        )
        for name, value, floor in rows:
            value = f"{value:.4f}" if isinstance(value, float) else value
            floor = f"{floor:.4f}" if isinstance(floor, float) else (floor or "")
            print(f"{name:44} {value:>10} {floor:>10}")
        if scale != 1:
            print("(the targets are set for the 10,000-risk company; this size gives the growth figures)")
            continue
        print("targets:")
        for name, compute, target, unit in TARGETS:
            figure = compute(r)
            met = figure >= target if unit == "≥" else figure <= target
            print(f"  {name:38} {figure:10.3f} {'≥' if unit == '≥' else '≤'} {target:<8} {'yes' if met else 'NO'}")
    scales = sorted(results["scales"])
    if len(scales) > 1:
        small, big = results["scales"][scales[0]], results["scales"][scales[-1]]
        print("\ngrowth at ten times the data:")
        for name, key, target in (("risk list API p95", "risk_list_api_p95_s", 1.5),
                                  ("heat map + top 10", "heatmap_ranking_s", 10)):
            growth = big[key] / small[key]
            print(f"  {name:38} {growth:10.2f}× ≤ {target:<7}× {'yes' if growth <= target else 'NO'}")


if __name__ == "__main__":
    sys.exit(main())
