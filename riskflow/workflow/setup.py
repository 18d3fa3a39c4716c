"""Loading the workflows at start-up: a broken file stops the app."""
from __future__ import annotations

from .. import defaults
from ..config import PROJECT_ROOT
from .definition import load_folder
from .engine import GUARDS, workflows
from .store import sync

WORKFLOW_FOLDER = PROJECT_ROOT / "workflows"


def init_app(app) -> None:
    """Load and check workflows/*.yaml; raises WorkflowError naming every defect."""
    folder = app.config.get("WORKFLOW_FOLDER") or WORKFLOW_FOLDER
    app.extensions["riskflow.workflows"] = load_folder(folder, GUARDS)


@defaults.loader
def store_versions(session) -> None:
    """At `riskflow init`: keep each changed definition as a new version (refused if it strands items)."""
    sync(session, workflows())
