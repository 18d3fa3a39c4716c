"""`riskflow workflows check` and start-up catch every defect of a workflow file, with file and line."""
import shutil
from pathlib import Path

import pytest

from riskflow import create_app
from riskflow.cli import main
from riskflow.workflow.definition import WorkflowError, load_folder, parse
import riskflow.supervision.service  # noqa: F401  (registers the guards the files name)
import riskflow.actions.service  # noqa: F401
import riskflow.register.sheets  # noqa: F401
from riskflow.workflow.engine import GUARDS

ROOT = Path(__file__).resolve().parent.parent
GOOD = """\
name: sample
initial: a
states:
  a: {label: 甲, label_en: A}
  b: {label: 乙, label_en: B}
  z: {label: 终, label_en: Z, final: true}
transitions:
  - name: go
    from: a
    to: b
    roles: [inspector]
  - name: end
    from: [a, b]
    to: z
    roles: [inspector]
"""


def problems(text):
    with pytest.raises(WorkflowError) as caught:
        parse(text, "sample.yaml", GUARDS)
    return caught.value.problems


def test_the_default_workflows_are_sound():
    loaded = load_folder(ROOT / "workflows", GUARDS)
    assert sorted(loaded) == ["action", "grading_sheet", "incident", "recommendation", "supervision_project"]
    project = loaded["supervision_project"]
    assert [t.name for t in project.available("monitoring")] == ["issue_recommendations", "cancel"]
    assert project.transitions["close"].guard == "all_recommendations_verified"
    # A unit's proposal starts as `proposed`: the inspection office files it or sends it back to its unit's head.
    assert project.entries == ("proposed",)
    assert [t.name for t in project.available("proposed")] == ["file", "send_back", "withdraw"]
    assert [t.name for t in project.available("returned")] == ["resubmit", "withdraw"]
    assert (project.transitions["send_back"].roles, project.transitions["send_back"].requires) == (
        ("inspector",), ("comment",))
    assert (project.transitions["withdraw"].roles, project.transitions["withdraw"].requires) == (
        ("unit_head",), ("comment",))
    assert project.transitions["resubmit"].roles == ("unit_head",)


def test_an_entry_state_is_reachable_and_must_be_a_state():
    # `c` is reached by no transition: unreachable, unless items may start there (an entry state).
    text = GOOD.replace("  z:", "  c: {label: 丙, label_en: C}\n  z:").replace("from: [a, b]", "from: [a, b, c]")
    assert problems(text) == ["sample.yaml:6: state 'c' cannot be reached from 'a'"]
    assert parse(text.replace("initial: a", "initial: a\nentries: [c]"), "sample.yaml", GUARDS).entries == ("c",)
    assert problems(text.replace("initial: a", "initial: a\nentries: [c, q]")) == [
        "sample.yaml:1: entry state 'q' is not a state"]


def test_a_good_file_parses():
    workflow = parse(GOOD, "sample.yaml", GUARDS)
    assert workflow.initial == "a" and [t.name for t in workflow.available("b")] == ["end"]


def test_unknown_states_are_named_with_their_line():
    text = GOOD.replace("    to: b\n", "    to: c\n").replace("    from: [a, b]", "    from: [a, q]")
    assert problems(text) == [
        "sample.yaml:8: transition 'go' goes to unknown state 'c'",
        "sample.yaml:12: transition 'end' starts from unknown state 'q'",
    ]


def test_unknown_guards_and_roles():
    text = GOOD.replace("    roles: [inspector]\n  - name: end", "    roles: [janitor]\n    guard: nope\n  - name: end")
    assert problems(text) == [
        "sample.yaml:8: transition 'go' names unknown role 'janitor'",
        "sample.yaml:8: transition 'go' uses unknown guard 'nope'",
    ]


def test_unreachable_states():
    text = GOOD.replace("  z: {label: 终", "  orphan: {label: 孤, label_en: O}\n  z: {label: 终")
    assert problems(text) == [
        "sample.yaml:6: state 'orphan' cannot be reached from 'a'",
        "sample.yaml:6: state 'orphan' has no way to a final state",
    ]


def test_states_with_no_way_to_a_final_state():
    text = GOOD.replace("    from: [a, b]", "    from: [a]").replace(
        "    to: b\n    roles: [inspector]\n", "    to: b\n    roles: [inspector]\n  - name: loop\n    from: b\n"
                                              "    to: b\n    roles: [inspector]\n", 1)
    assert problems(text) == ["sample.yaml:5: state 'b' has no way to a final state"]


def test_duplicate_names():
    text = GOOD.replace("  - name: end", "  - name: go")
    assert problems(text) == ["sample.yaml:12: duplicate transition name 'go'"]
    text = GOOD.replace("  b: {label: 乙, label_en: B}", "  b: {label: 乙, label_en: B}\n  b: {label: 又, label_en: B2}")
    assert problems(text)[0] == "sample.yaml:6: duplicate name 'b'"


def test_missing_labels_and_not_yaml():
    assert problems(GOOD.replace("label_en: A", "x: 1")) == ["sample.yaml:4: state 'a' needs 'label' and 'label_en'"]
    assert problems("name: [unclosed")[0].startswith("sample.yaml:1: not valid YAML")


def test_the_check_command_reports_each_file_and_line(tmp_path, home, monkeypatch, capsys):
    monkeypatch.setenv("RISKFLOW_HOME", str(home))
    folder = tmp_path / "wf"
    shutil.copytree(ROOT / "workflows", folder)
    assert main(["workflows", "check", "--folder", str(folder)]) == 0
    assert capsys.readouterr().out == "ok: action, grading_sheet, incident, recommendation, supervision_project\n"
    broken = folder / "recommendation.yaml"
    broken.write_text(broken.read_text().replace("    to: verified", "    to: done"))
    assert main(["workflows", "check", "--folder", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:23: transition 'verify' goes to unknown state 'done'" in err


def test_the_app_refuses_to_start_on_a_broken_file(tmp_path):
    folder = tmp_path / "wf"
    shutil.copytree(ROOT / "workflows", folder)
    (folder / "incident.yaml").write_text(GOOD.replace("to: b", "to: nowhere").replace("name: sample", "name: incident"))
    with pytest.raises(WorkflowError):
        create_app({"HOME": tmp_path, "WORKFLOW_FOLDER": folder})


def test_a_change_that_strands_items_is_refused_and_others_make_a_new_version(app, make, run_db, tmp_path):
    from riskflow.auth.service import user_by_name
    from riskflow.supervision import service
    from riskflow.workflow import store
    from riskflow.workflow.definition import load_folder as load

    make.unit("JJ", "纪检监察室", kind="inspection")
    make.user("insp", "inspector", unit="JJ")

    def create(s):
        return service.create_project(s, user_by_name(s, "insp"), {
            "title": "t", "kind": "budget", "method": "document_analysis", "lead_unit": "JJ"}).workflow_version

    with app.app_context():
        assert run_db(create) == 1
    folder = tmp_path / "wf"
    shutil.copytree(ROOT / "workflows", folder)
    path = folder / "supervision_project.yaml"
    text = path.read_text()
    # Rename the draft state: the project just filed would be stranded.
    path.write_text(text.replace("initial: draft", "initial: drafting").replace("  draft:", "  drafting:")
                    .replace("from: draft", "from: drafting").replace("[draft,", "[drafting,"))
    with app.app_context():
        with pytest.raises(WorkflowError) as caught:
            run_db(lambda s: store.sync(s, load(folder, GUARDS)))
        assert "items of supervision_project are in states this file removes: draft" in caught.value.problems[0]
    # A change that keeps every occupied state is stored as version 2, and new items run under it.
    path.write_text(text.replace("label_en: Draft", "label_en: Draft proposal"))
    with app.app_context():
        app.extensions["riskflow.workflows"] = load(folder, GUARDS)
        assert run_db(lambda s: store.sync(s, app.extensions["riskflow.workflows"])) == [("supervision_project", 2)]
        assert run_db(create) == 2


def test_the_company_folder_replaces_the_workflows_it_names_and_keeps_the_others(tmp_path, home, monkeypatch,
                                                                                 capsys):
    own = tmp_path / "company-workflows"
    own.mkdir()
    text = (ROOT / "workflows" / "supervision_project.yaml").read_text(encoding="utf-8")
    (own / "supervision_project.yaml").write_text(text.replace("label: 草拟", "label: 拟稿"), encoding="utf-8")
    monkeypatch.setenv("RISKFLOW_WORKFLOWS", str(own))
    app = create_app({"HOME": home, "DATABASE_URL": f"sqlite:///{home / 'riskflow.db'}"})
    loaded = app.extensions["riskflow.workflows"]
    assert sorted(loaded) == ["action", "grading_sheet", "incident", "recommendation", "supervision_project"]
    assert loaded["supervision_project"].states["draft"].label == "拟稿"
    assert loaded["supervision_project"].path == str(own / "supervision_project.yaml")
    assert loaded["incident"].path == str(ROOT / "workflows" / "incident.yaml")
    app.extensions["riskflow.engine"].dispose()

    # `riskflow workflows check` checks the same set, and names the company's broken file and line.
    monkeypatch.setenv("RISKFLOW_HOME", str(home))
    assert main(["workflows", "check"]) == 0
    assert capsys.readouterr().out == "ok: action, grading_sheet, incident, recommendation, supervision_project\n"
    (own / "supervision_project.yaml").write_text(text.replace("    to: setup", "    to: nowhere"), encoding="utf-8")
    assert main(["workflows", "check"]) == 1
    assert f"{own / 'supervision_project.yaml'}:17: transition 'file' goes to unknown state 'nowhere'" \
        in capsys.readouterr().err


def test_a_company_folder_that_is_not_there_stops_the_command_with_one_line(tmp_path, home, monkeypatch, capsys):
    monkeypatch.setenv("RISKFLOW_HOME", str(home))
    monkeypatch.setenv("RISKFLOW_WORKFLOWS", str(tmp_path / "missing"))
    assert main(["workflows", "check"]) == 1
    assert capsys.readouterr().err == f"riskflow: RISKFLOW_WORKFLOWS {str(tmp_path / 'missing')!r} is not a folder\n"
