"""A wheel built from the repository works on its own: installed into a fresh venv outside the checkout,
`riskflow` initialises, checks its workflows, makes a report and serves pages, in Chinese by default."""
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.script import ScriptDirectory
from pypdf import PdfReader

from conftest import PG_URL

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("build") is None,
                       reason="needs the `build` package (pip install -e '.[test]')"),
    # The wheel runs on its own SQLite file whatever the suite's database: checked once, in the SQLite run.
    pytest.mark.skipif(bool(PG_URL), reason="the wheel is checked in the SQLite run"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def last_month() -> str:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


def build_wheel(out: Path) -> Path:
    """`python -m build`: the sdist, then the wheel built from that sdist (so MANIFEST.in is proven too)."""
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True,
                   capture_output=True, text=True)
    return next(out.glob("riskflow-*.whl"))


def fresh_venv(path: Path, wheel: Path) -> Path:
    """A venv of its own with the wheel and the dependencies its metadata names."""
    venv.create(path, with_pip=True, system_site_packages=False)
    result = subprocess.run([str(path / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return path / "bin"


def test_a_built_wheel_runs_from_any_folder_in_chinese(tmp_path):
    bin_ = fresh_venv(tmp_path / "venv", build_wheel(tmp_path / "dist"))
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("RISKFLOW_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(RISKFLOW_HOME=str(work / "data"), PATH=f"{bin_}{os.pathsep}{env.get('PATH', '')}")

    def riskflow(*args):
        result = subprocess.run([str(bin_ / "riskflow"), *args], cwd=work, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    located = subprocess.run([str(bin_ / "python"), "-c", "import riskflow; print(riskflow.__file__)"], cwd=work,
                             env=env, capture_output=True, text=True, check=True).stdout
    assert located.startswith(str(tmp_path / "venv")), located

    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    init = riskflow("init", "--demo")
    assert init.stderr == ""  # riskflow says what it did; Alembic's own log stays quiet
    out = init.stdout
    lines = out.splitlines()
    assert lines[0] == f"数据库已迁移到 {head}（sqlite:///{work / 'data' / 'riskflow.db'}）", out
    assert lines[1:] == ["已载入默认评分标准", "已载入默认风险分类 13 个", "已保存流程 action 第 1 版",
                         "已保存流程 grading_sheet 第 1 版", "已保存流程 incident 第 1 版",
                         "已保存流程 recommendation 第 1 版", "已保存流程 supervision_project 第 1 版",
                         "已创建演示公司"], out

    assert riskflow("workflows", "check").stdout == "ok: action, grading_sheet, incident, recommendation, supervision_project\n"

    period = last_month()
    riskflow("report", "monthly", "--period", period, "--out", "x.pdf")
    text = "".join(page.extract_text() for page in PdfReader(work / "x.pdf").pages)
    year, month = period.split("-")
    assert f"{year}年{month}月风险评估及风险预警应对" in text

    moment = datetime.now(ZoneInfo("Asia/Shanghai")).replace(day=3, hour=8, minute=0, second=0, microsecond=0)
    assert riskflow("jobs", "run", "monthly_report", "--at", moment.isoformat()).stdout.startswith(
        f"monthly_report {period}: ")

    port = free_port()
    server = subprocess.Popen([str(bin_ / "riskflow"), "serve", "--port", str(port), "--no-scheduler"], cwd=work,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the server did not answer within a minute"
                time.sleep(0.2)
        assert "登录" in page and '<html lang="zh-CN"' in page
    finally:
        server.terminate()
        server.wait(timeout=30)
