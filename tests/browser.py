"""Shared browser-test parts: the production server on loopback, a headless Chromium page driven by
Playwright, signing in, the page checks, and screenshots into test-artifacts/.

Test modules use the `server` and `browser_page` fixtures (registered in conftest) and import the helpers."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import cli_environment

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden' && el.type !== 'submit')
  .filter(el => !(el.id && document.querySelector(`label[for="${el.id}"]`)) && !el.closest('label')
                && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 60))"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(app, home, company):
    """`riskflow serve` on a free loopback port, over the test's data."""
    port = free_port()
    env = {**os.environ, **cli_environment(home), "RISKFLOW_LANGUAGE": "zh_CN"}
    process = subprocess.Popen([sys.executable, "-m", "riskflow.cli", "serve", "--no-scheduler", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a cold first start compiles every module
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError(f"the server did not start: {process.stderr.read().decode()[-500:]}")
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def browser_page(request):
    assert Path(CHROMIUM).exists(), "make test installs Debian's chromium for these tests"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        page = context.new_page()
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.console_errors = errors
        yield page
        if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


def sign_in(page, base, username, password="correct-horse"):
    page.goto(base + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def check_page(page):
    """Every form field has a label, and nothing went wrong in the console."""
    assert page.evaluate(LABELLED) == [], page.url
    assert page.console_errors == [], page.console_errors




WIDTHS = {"wide": 1366, "phone": 390}


def screenshots(page, base, path, name):
    """The page at `path` at 1366 px and 390 px wide in both languages, into test-artifacts/NAME-{zh,en}-{wide,phone}.png.

    Returns the horizontal overflow seen at each size (0 everywhere when nothing scrolls sideways)."""
    ARTIFACTS.mkdir(exist_ok=True)
    overflow = {}
    size = page.viewport_size
    try:
        for lang in ("zh_CN", "en"):
            for label, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                separator = "&" if "?" in path else "?"
                page.goto(f"{base}{path}{separator}lang={lang}")
                short = "zh" if lang == "zh_CN" else "en"
                page.screenshot(path=str(ARTIFACTS / f"{name}-{short}-{label}.png"), full_page=True)
                overflow[(short, label)] = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    finally:
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang=zh_CN")
        page.set_viewport_size(size)
    return overflow
