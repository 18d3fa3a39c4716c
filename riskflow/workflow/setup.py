"""Loading the workflows at start-up: a broken file stops the app."""
from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from .. import defaults, resources
from .definition import Workflow, load_folder
from .engine import GUARDS, workflows
from .store import sync

WORKFLOW_FOLDER = resources.folder("workflows")


def load(own_folder: Path | None = None) -> dict[str, Workflow]:
    """The shipped workflows, each replaced by the one of the same name in OWN_FOLDER (the company's files).

    The shipped set stays the base, so a company writes only the workflows it changes and still gets
    the ones a newer riskflow adds. WorkflowError names every defect of every file.
    """
    loaded = load_folder(WORKFLOW_FOLDER, GUARDS)
    if own_folder is not None:
        loaded.update(load_folder(Path(own_folder), GUARDS))
    return loaded


def init_app(app) -> None:
    """Load and check the workflow files; raises WorkflowError naming every defect."""
    app.extensions["riskflow.workflows"] = load(app.config.get("WORKFLOW_FOLDER"))


@defaults.loader
def store_versions(session) -> list[str]:
    """At `riskflow init`: keep each changed definition as a new version (refused if it strands items)."""
    return [stored(name, version) for name, version in sync(session, workflows())]


def stored(name: str, version: int) -> str:
    """The line saying that workflow NAME was kept as VERSION."""
    return _l("Stored workflow %(name)s as version %(version)d", name=name, version=version)
