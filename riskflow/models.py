"""Imports every feature's models so that the metadata, and Alembic, see all tables."""
from .auth.models import ApiToken, Unit, User  # noqa: F401
from .attachments import Attachment  # noqa: F401
from .history import ChangeRecord  # noqa: F401
from .register.models import (  # noqa: F401
    Assessment, Category, GradingRound, GradingStandard, Risk, RiskWarning,
    GradingSheet, ImportJob, RoundReopening,
)
from .indicators.models import Indicator, IndicatorTarget, IndicatorValue  # noqa: F401
from .supervision.models import Recommendation, SupervisionProject  # noqa: F401
from .workflow.store import WorkflowVersion  # noqa: F401
from .incidents.models import Incident, IncidentRound, MeetingItem, ReviewMeeting, UnitReturn  # noqa: F401
from .mail import MailMessage  # noqa: F401
from .numbering import CodeCounter  # noqa: F401
from .reports.models import Report  # noqa: F401
from .scheduling.jobs import JobRun  # noqa: F401
from .revision import DataRevision  # noqa: F401
from .actions.models import Action  # noqa: F401
from .notifications.models import Notification, NotificationSetting, WebhookDelivery  # noqa: F401
