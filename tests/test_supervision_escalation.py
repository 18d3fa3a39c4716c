"""Overdue colours on fixed dates, the daily escalation, and evidence attachments."""
import io
from datetime import date

import pytest

from riskflow.supervision.escalation import colour
from test_supervision import fire, new_project, recommend

DUE = date(2026, 7, 31)


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2026, 7, 1), None),        # 30 days ahead: nothing yet
        (date(2026, 7, 23), None),       # 8 days ahead
        (date(2026, 7, 24), "blue"),     # 7 days ahead: reminder to the owner
        (date(2026, 7, 30), "blue"),
        (date(2026, 7, 31), "yellow"),   # due today
        (date(2026, 8, 30), "yellow"),   # 30 days behind
        (date(2026, 8, 31), "red"),      # 31 days behind: supervision notice
        (date(2027, 1, 1), "red"),
    ],
)
def test_escalation_colours_on_fixed_dates(today, expected):
    assert colour(DUE, False, today) == expected


def test_a_verified_rectification_never_escalates():
    assert colour(DUE, True, date(2027, 1, 1)) is None


def test_the_days_are_configurable():
    assert colour(DUE, False, date(2026, 7, 16), blue_days=15, red_days=5) == "blue"
    assert colour(DUE, False, date(2026, 8, 6), blue_days=15, red_days=5) == "red"


def test_daily_escalation_announces_each_colour_once_to_the_right_people(app, team, run_db):
    from riskflow.supervision import escalation
    from riskflow.supervision.models import Recommendation

    inspector = team["inspector"]
    pid = new_project(inspector)["id"]
    fire(inspector, "supervision-projects", pid, "file")
    fire(inspector, "supervision-projects", pid, "start_monitoring")
    rid = recommend(inspector, pid, due_date="2099-07-31")["id"]

    def set_due(s):
        s.get(Recommendation, rid).due_date = DUE

    run_db(set_due)

    def escalate_on(day):
        return run_db(lambda s: [(r.recommendation.id, r.colour, [u.username for u in r.recipients])
                                 for r in escalation.escalate(s, day)])

    assert escalate_on(date(2026, 7, 1)) == []
    assert escalate_on(date(2026, 7, 25)) == [(rid, "blue", ["head_bj", "officer_bj"])]
    assert escalate_on(date(2026, 7, 26)) == []  # same colour: no new reminder
    assert escalate_on(date(2026, 8, 1)) == [(rid, "yellow", ["head_bj", "leader", "officer_bj"])]
    assert escalate_on(date(2026, 9, 15)) == [(rid, "red", ["head_bj", "inspector"])]
    body = inspector.get(f"/recommendations/{rid}").get_json()
    assert body["overdue"] is True
    overdue = inspector.get("/recommendations?overdue=true").get_json()["items"]
    assert [r["id"] for r in overdue] == [rid]
    assert inspector.get("/recommendations?overdue=false").get_json()["items"] == []
    actions = [h["changes"] for h in inspector.get(f"/history?entity=recommendation&id={rid}").get_json()["items"]
               if h["action"] == "escalate"]
    assert actions == [{"escalation": [None, "blue"]}, {"escalation": ["blue", "yellow"]},
                       {"escalation": ["yellow", "red"]}]


def upload(api, path, name, data):
    return api.client.post("/api/v1" + path, headers=api.headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), name)})


def test_attachments_are_type_checked_size_limited_and_served_to_those_who_may_see(app, team):
    inspector, head_bj, head_sh = team["inspector"], team["head_bj"], team["head_sh"]
    pid = new_project(inspector)["id"]
    fire(inspector, "supervision-projects", pid, "file")
    fire(inspector, "supervision-projects", pid, "start_monitoring")
    rid = recommend(inspector, pid)["id"]
    pdf = b"%PDF-1.4\n% evidence\n"
    created = upload(head_bj, f"/recommendations/{rid}/attachments", "整改报告.pdf", pdf)
    assert created.status_code == 201
    body = created.get_json()
    assert (body["filename"], body["size"], body["content_type"]) == ("整改报告.pdf", len(pdf), "application/pdf")
    assert upload(head_bj, f"/recommendations/{rid}/attachments", "virus.exe", b"MZ\x90").status_code == 422
    fake = upload(head_bj, f"/recommendations/{rid}/attachments", "fake.pdf", b"MZ\x90\x00not a pdf")
    assert fake.status_code == 422 and fake.get_json()["errors"] == {"file": ["文件内容与扩展名不符。"]}
    app.config["ATTACHMENT_MAX_BYTES"] = 100
    big = upload(head_bj, f"/recommendations/{rid}/attachments", "big.pdf", b"%PDF-" + b"x" * 200)
    assert big.status_code == 422 and big.get_json()["errors"] == {"file": ["文件过大。"]}
    assert upload(head_sh, f"/recommendations/{rid}/attachments", "x.pdf", pdf).status_code == 404
    assert upload(head_bj, f"/supervision-projects/{pid}/attachments", "x.pdf", pdf).status_code == 403
    assert upload(inspector, f"/supervision-projects/{pid}/attachments", "方案.pdf", pdf).status_code == 201
    url = body["download_url"]
    download = head_bj.get(url[len("/api/v1"):])
    assert download.status_code == 200 and download.data == pdf
    assert team["leader"].get(url[len("/api/v1"):]).status_code == 200
    assert head_sh.get(url[len("/api/v1"):]).status_code == 404
    files = sorted(p.name for p in (app.config["HOME"] / "attachments").iterdir())
    assert len(files) == 2 and all(name.endswith(".pdf") for name in files)


def test_a_file_whose_transaction_does_not_commit_is_removed(app, team):
    from sqlalchemy import select

    from conftest import sql
    from riskflow import attachments
    from riskflow.auth.models import User
    from riskflow.db import get_session

    inspector = team["inspector"]
    pid = new_project(inspector)["id"]
    folder = app.config["HOME"] / "attachments"
    pdf = b"%PDF-1.4\n% plan\n"

    def attach(finish):
        with app.app_context():
            session = get_session()
            user = session.scalar(select(User).where(User.username == "inspector"))
            attachments.add(session, user, "supervision_project", pid, "方案.pdf", pdf, "supervision_project.attach")
            finish(session)

    before = set(folder.iterdir()) if folder.exists() else set()
    attach(lambda session: session.rollback())
    attach(lambda session: None)  # closed at the end of the request without a commit
    assert (set(folder.iterdir()) if folder.exists() else set()) == before
    attach(lambda session: session.commit())
    kept = set(folder.iterdir()) - before
    assert len(kept) == 1 and next(iter(kept)).read_bytes() == pdf
    assert sql(app, "SELECT filename, stored_name FROM attachments") == [("方案.pdf", next(iter(kept)).name)]
