"""Chinese by default, English complete: every UI string goes through the catalog."""
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "riskflow" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
CJK = re.compile(r"[\u4e00-\u9fff]")


def source_messages() -> set[str]:
    """Every msgid the code and templates use, as pybabel extract finds them."""
    method_map = [("riskflow/**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT), method_map=method_map, keywords={"_": None, "gettext": None, "_l": None, "lazy_gettext": None,
                                                   "ngettext": (1, 2), "lazy_ngettext": (1, 2)}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def singular(text):
    """A catalog entry's id or string; the first form of a plural one (ngettext)."""
    return text[0] if isinstance(text, tuple) else text


def test_every_message_has_a_chinese_translation():
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh)
    # A plural message is known by its singular, and translated when every form is.
    translated = {(m.id[0] if m.pluralizable else m.id): (all(m.string) if m.pluralizable else m.string)
                  for m in catalog if m.id}
    missing = sorted(m for m in source_messages() if not translated.get(m))
    assert missing == []
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    assert fuzzy == []


def test_translations_keep_their_placeholders():
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh)
    placeholder = re.compile(r"%\(\w+\)[sd]")
    def found(text):
        return sorted(placeholder.findall(" ".join(text) if isinstance(text, tuple) else text))

    # Each plural form keeps the singular's placeholders (Chinese has one form).
    wrong = [m.id for m in catalog if m.id and any(
        found(form) != found(m.id[0] if m.pluralizable else m.id)
        for form in (m.string if m.pluralizable else (m.string,)))]
    assert wrong == []


def test_templates_hold_no_hard_coded_chinese():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # The language switch names each language in itself, by design.
            if CJK.search(line) and "中文" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_english_pages_show_no_chinese_ui_text(client, make):
    from conftest import Api, login

    make.unit("BJ", "Beijing branch")
    make.user("root", "admin")
    make.user("boss", "risk_manager")
    api = Api(client, make.token("boss"))
    risk = api.post("/risks", {"title": "Price swings", "unit": "BJ", "category": "price"}).get_json()
    api.post(f"/risks/{risk['id']}/assessments", {"period": "2026-05", "likelihood": 5, "impact": 4,
                                                  "rationale": "market"})
    api.post("/indicators", {"code": "K1", "name": "Collection rate", "rule": "below_target",
                             "risk_id": risk["id"]})
    api.post("/rounds", {"period": "2026-06", "deadline": "2099-01-01"})
    make.unit("JJ", "Inspection office", kind="inspection")
    make.user("insp", "inspector", unit="JJ")
    insp = Api(client, make.token("insp"))
    project = insp.post("/supervision-projects", {"year": 2026, "title": "Collection audit", "kind": "budget",
                                                  "method": "efficiency_audit", "lead_unit": "JJ"}).get_json()
    for step in ("file", "start_monitoring"):
        insp.post(f"/supervision-projects/{project['id']}/transitions", {"transition": step})
    rec = insp.post(f"/supervision-projects/{project['id']}/recommendations",
                    {"finding": "Late", "recommendation": "Collect", "responsible_unit": "BJ"}).get_json()
    api.post("/incidents", {"title": "Forged delivery note", "kind": "loss_event", "occurred_on": "2026-05-03",
                            "discovered_on": "2026-05-04", "unit": "BJ", "losses": {"financial": 1000},
                            "risk_ids": [risk["id"]]})
    api.post("/incident-rounds", {"quarter": "2026-Q2", "deadline": "2099-01-01"})
    login(client, "root")
    for path in ("/", "/units", "/users", "/profile", "/risks", f"/risks/{risk['id']}", f"/risks/{risk['id']}/edit",
                 "/risks/new", "/heatmap?period=2026-05", "/warnings?period=2026-05", "/grading?period=2026-05",
                 "/rounds", "/indicators", "/supervision?year=2026", "/supervision/new", "/recommendations",
                 f"/supervision/{project['id']}", f"/recommendations/{rec['id']}", "/supervision/summary",
                 "/incidents", "/incidents/1", "/incidents/new", "/incidents/collection?quarter=2026-Q2",
                 "/incidents/meetings?quarter=2026-Q2", "/incidents/calibration", "/more", "/reports"):
        html = client.get(path + "?lang=en").get_data(as_text=True)
        text = re.sub(r"<[^>]+>", " ", html).replace("中文", "")
        text = re.sub(r"监建〔\d+〕\d+号", "", text)  # an official letter number is data, in Chinese by rule
        assert CJK.findall(text) == [], (path, "".join(CJK.findall(text))[:40])


def test_bilingual_reference_pages_have_english_headings(client, make):
    """These pages show Chinese names by design (both names of a level; the Chinese column headers a file
    may use); the rest of their text is English."""
    from conftest import login

    make.user("root", "admin")
    login(client, "root")
    assert "<h1>Grading standard · version 1</h1>" in client.get("/standard?lang=en").get_data(as_text=True)
    assert "<h1>Risk categories</h1>" in client.get("/categories?lang=en").get_data(as_text=True)
    assert "<h1>Import risks or monthly grades</h1>" in client.get("/imports?lang=en").get_data(as_text=True)
