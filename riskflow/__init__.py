"""riskflow: risk register and efficiency-supervision workflow."""
from __future__ import annotations

import logging

from flask import Flask

from . import config as config_module
from . import resources


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, database, languages, security, blueprints."""
    app = Flask(
        __name__,
        template_folder=str(resources.folder("templates")),
        static_folder="static",
    )
    settings = config_module.from_environment()
    if test_config:
        settings.update(test_config)
    config_module.finalize(settings)
    app.config.update(settings)
    configure_logging(app)
    configure_extensions(app)
    configure_blueprints(app)
    if not app.config.get("SKIP_WORKFLOWS"):
        configure_workflows(app)
    return app


def configure_logging(app: Flask) -> None:
    """Log to stderr at INFO unless the host already configured logging."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Alembic logs every plugin and step at INFO; `riskflow init` says in one line what it migrated.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def configure_extensions(app: Flask) -> None:
    """Database, languages, sign-in, CSRF and security headers."""
    from . import db, i18n, models, routing, security, web  # noqa: F401  (models: complete metadata)

    routing.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    web.init_app(app)


def configure_workflows(app: Flask) -> None:
    """Load and check workflows/*.yaml (after the features have registered their guards)."""
    from .workflow import setup

    setup.init_app(app)


def configure_blueprints(app: Flask) -> None:
    """Pages and the API."""
    from .actions.views import bp as actions_bp
    from .api import bp as api_bp
    from .auth.views import bp as auth_bp
    from .main.views import bp as main_bp
    from .notifications.views import bp as notifications_bp
    from .evidence import bp as evidence_bp
    from .incidents.views import bp as incidents_bp
    from .indicators.views import bp as indicators_bp
    from .indicators.import_views import bp as indicator_import_bp
    from .indicators.collection_views import bp as collection_bp
    from .register.board import bp as board_bp
    from .register.settings_views import bp as settings_bp
    from .register.transfer_views import bp as transfer_bp
    from .register.views import bp as register_bp
    from .reports.views import bp as reports_bp
    from .supervision.documents import bp as documents_bp
    from .supervision.notice_views import bp as notices_bp
    from .supervision.views import bp as supervision_bp
    from .supervision import plan_views  # noqa: F401  (the plan page, on the supervision blueprint)
    from .supervision import benefit_views  # noqa: F401  (its routes and project-page section join supervision's bp)
    from .supervision import proposal_views  # noqa: F401  (its pages join the supervision blueprint)
    from .supervision import inspection_views  # noqa: F401  (its routes and page section join supervision_bp)
    from .supervision.risklinks_views import bp as risklinks_bp
    from .workflow.views import bp as workflow_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(register_bp)
    app.register_blueprint(board_bp)
    app.register_blueprint(transfer_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(supervision_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(notices_bp)
    app.register_blueprint(risklinks_bp)
    app.register_blueprint(workflow_bp)
    app.register_blueprint(incidents_bp)
    app.register_blueprint(indicators_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(indicator_import_bp)
    app.register_blueprint(collection_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(notifications_bp)
