"""Loading and checking workflow definitions; every defect is reported with its file and line."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..auth.models import ROLES


@dataclass(frozen=True)
class State:
    name: str
    label: str
    label_en: str
    final: bool = False


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str
    label_en: str
    guard: str | None = None
    requires: tuple[str, ...] = ()


@dataclass
class Workflow:
    name: str
    initial: str
    states: dict[str, State]
    transitions: dict[str, Transition]
    path: str = ""
    digest: str = ""
    raw: dict = field(default_factory=dict)
    # States an item may also start in besides `initial` (a unit's proposal starts as `proposed`).
    entries: tuple[str, ...] = ()

    def available(self, state: str) -> list[Transition]:
        """The transitions that leave STATE, in file order."""
        return [t for t in self.transitions.values() if state in t.sources]

    def is_final(self, state: str) -> bool:
        return self.states[state].final


class WorkflowError(Exception):
    """A broken definition; `problems` lists each as 'file:line: what'."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records each mapping's line and refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                self.duplicates.append((key, key_node.start_mark.line + 1))
            seen[key] = True
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _load_yaml(text: str):
    loader = _LineLoader(text)
    loader.duplicates = []
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def parse(text: str, path: str, guards) -> Workflow:
    """Build a Workflow from YAML TEXT, or raise WorkflowError naming every defect."""
    problems: list[str] = []

    def bad(line, message):
        problems.append(f"{path}:{line}: {message}")

    try:
        data, duplicates = _load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise WorkflowError([f"{path}:{mark.line + 1 if mark else 1}: not valid YAML: {exc}"])
    if not isinstance(data, dict):
        raise WorkflowError([f"{path}:1: a workflow is a mapping with name, initial, states and transitions"])
    for key, line in duplicates:
        bad(line, f"duplicate name {key!r}")
    top = data.get("__line__", 1)
    name = data.get("name")
    if not isinstance(name, str) or not name:
        bad(top, "missing 'name'")
    raw_states = data.get("states")
    if not isinstance(raw_states, dict) or not [k for k in raw_states if k != "__line__"]:
        bad(top, "missing 'states'")
        raw_states = {}
    states = {}
    for state_name, spec in raw_states.items():
        if state_name == "__line__":
            continue
        spec = spec if isinstance(spec, dict) else {"__line__": raw_states["__line__"]}
        line = spec.get("__line__", top)
        if not spec.get("label") or not spec.get("label_en"):
            bad(line, f"state {state_name!r} needs 'label' and 'label_en'")
        states[state_name] = State(state_name, str(spec.get("label", "")), str(spec.get("label_en", "")),
                                   bool(spec.get("final", False)))
    initial = data.get("initial")
    if initial not in states:
        bad(top, f"initial state {initial!r} is not a state")
    entries = tuple(_as_list(data.get("entries")))
    for entry in entries:
        if entry not in states:
            bad(top, f"entry state {entry!r} is not a state")
    transitions = {}
    raw_transitions = data.get("transitions")
    if not isinstance(raw_transitions, list):
        bad(top, "missing 'transitions' (a list)")
        raw_transitions = []
    for spec in raw_transitions:
        if not isinstance(spec, dict):
            bad(top, "each transition is a mapping")
            continue
        line = spec.get("__line__", top)
        t_name = spec.get("name")
        if not isinstance(t_name, str) or not t_name:
            bad(line, "a transition needs a 'name'")
            continue
        if t_name in transitions:
            bad(line, f"duplicate transition name {t_name!r}")
            continue
        sources = tuple(_as_list(spec.get("from")))
        target = spec.get("to")
        for source in sources:
            if source not in states:
                bad(line, f"transition {t_name!r} starts from unknown state {source!r}")
        if not sources:
            bad(line, f"transition {t_name!r} needs 'from'")
        if target not in states:
            bad(line, f"transition {t_name!r} goes to unknown state {target!r}")
        roles = tuple(_as_list(spec.get("roles")))
        if not roles:
            bad(line, f"transition {t_name!r} needs 'roles'")
        for role in roles:
            if role not in ROLES:
                bad(line, f"transition {t_name!r} names unknown role {role!r}")
        guard = spec.get("guard")
        if guard is not None and guard not in guards:
            bad(line, f"transition {t_name!r} uses unknown guard {guard!r}")
        for source in sources:
            if source in states and states[source].final:
                bad(line, f"transition {t_name!r} leaves final state {source!r}")
        transitions[t_name] = Transition(
            t_name, sources, target, roles, str(spec.get("label", t_name)), str(spec.get("label_en", t_name)),
            guard, tuple(_as_list(spec.get("requires"))))
    if not problems:
        _check_graph(initial, states, transitions, raw_states, top, bad, entries)
    if problems:
        raise WorkflowError(problems)
    clean = json.loads(json.dumps(data, default=str))
    digest = hashlib.sha256(json.dumps(_strip_lines(clean), sort_keys=True).encode()).hexdigest()
    return Workflow(name, initial, states, transitions, path, digest, _strip_lines(clean), entries)


def _check_graph(initial, states, transitions, raw_states, top, bad, entries=()) -> None:
    """Every state reachable from the initial one (or an entry state), and every state able to reach a final one."""
    if not any(s.final for s in states.values()):
        bad(top, "no state is final")
        return
    reach = {initial, *entries}
    frontier = list(reach)
    while frontier:
        current = frontier.pop()
        for t in transitions.values():
            if current in t.sources and t.target not in reach:
                reach.add(t.target)
                frontier.append(t.target)
    for name in states:
        if name not in reach:
            bad(raw_states[name].get("__line__", top) if isinstance(raw_states[name], dict) else top,
                f"state {name!r} cannot be reached from {initial!r}")
    ends = {n for n, s in states.items() if s.final}
    changed = True
    while changed:
        changed = False
        for t in transitions.values():
            if t.target in ends:
                for source in t.sources:
                    if source not in ends:
                        ends.add(source)
                        changed = True
    for name in states:
        if name not in ends:
            bad(raw_states[name].get("__line__", top) if isinstance(raw_states[name], dict) else top,
                f"state {name!r} has no way to a final state")


def _strip_lines(value):
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def load_folder(folder: Path, guards) -> dict[str, Workflow]:
    """Every workflow in FOLDER/*.yaml by name; WorkflowError lists the defects of all files."""
    problems, workflows = [], {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            workflow = parse(path.read_text(encoding="utf-8"), str(path), guards)
        except WorkflowError as exc:
            problems += exc.problems
            continue
        if workflow.name in workflows:
            problems.append(f"{path}:1: workflow {workflow.name!r} is defined twice")
        workflows[workflow.name] = workflow
    if problems:
        raise WorkflowError(problems)
    return workflows
