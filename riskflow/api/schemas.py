"""JSON Schemas of the API's bodies, for the OpenAPI document and for the check of every request
(validate.py): the request schemas say exactly what the services accept, types, lengths and ranges."""
from .. import periods, values
from ..db import MAX_ID
from ..register.grading import IMPACT_DIMENSIONS, MAX_SIZE
from ..notifications import kinds as notification_kinds

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}

SCHEMAS = {
    "Error": ERROR,
    "Unit": {
        "type": "object",
        "required": ["id", "code", "name", "kind", "active"],
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": ["sales", "inspection", "management"]},
            "active": {"type": "boolean"},
            # Administrators only: the address holds the robot's key.
            "webhook_url": {"type": ["string", "null"]},
        },
    },
    "UnitPatch": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            # An http(s) address of at most 500 characters (the service says so at the field), or "" / null.
            "webhook_url": {"type": ["string", "null"]},
        },
        "additionalProperties": False,
    },
    "UnitCreate": {
        "type": "object",
        "required": ["code", "name"],
        "properties": {
            "code": {"type": "string", "pattern": values.schema_pattern(values.UNIT_CODE)},
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "kind": {"type": "string", "enum": ["sales", "inspection", "management"]},
        },
        "additionalProperties": False,
    },
    "Change": {
        "type": "object",
        "required": ["at", "actor", "action", "from_state", "to_state", "changes"],
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "actor": {"type": "string"},
            "action": {"type": "string"},
            "from_state": {"type": ["string", "null"]},
            "to_state": {"type": ["string", "null"]},
            "comment": {"type": ["string", "null"]},
            "changes": {"type": "object"},
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "database"],
        "properties": {"status": {"type": "string"}, "database": {"type": "string"}},
    },
}


def _obj(required, **props):
    return {"type": "object", "required": list(required), "properties": props}


def _input(required, **props):
    """A request body: the named properties and no others."""
    return {**_obj(required, **props), "additionalProperties": False}


def matching(pattern: str) -> dict:
    return {"type": "string", "pattern": values.schema_pattern(pattern)}


def _text(limit: int, *, required: bool = False) -> dict:
    """A text field of at most LIMIT characters; an optional one may be null (left empty)."""
    if required:
        return {"type": "string", "minLength": 1, "maxLength": limit}
    return {"type": ["string", "null"], "maxLength": limit}


def _optional(schema: dict) -> dict:
    """SCHEMA, or null for "not given"."""
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": kinds + ["null"]}


STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
INT = {"type": "integer"}
NUM = {"type": "number"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
PERIOD = matching(periods.PERIOD_PATTERN)
QUARTER = matching(periods.QUARTER_PATTERN)
UNIT_CODE = matching(values.UNIT_CODE)
CATEGORY_CODE = matching(values.CATEGORY_CODE)
DAY = {"type": "string", "format": "date"}
YUAN = {"type": "number", "minimum": 0, "exclusiveMaximum": 10**15}
MEASURE = {"type": "number", "exclusiveMinimum": -10**16, "exclusiveMaximum": 10**16}
GRADE = {"type": "integer", "minimum": 1, "maximum": MAX_SIZE}
LEVEL = {"type": "string", "enum": ["low", "general", "significant", "major"]}
STRATEGY = {"type": ["string", "null"], "enum": ["avoid", "reduce", "share", "accept", None]}
IMPACTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 7},
           "propertyNames": {"enum": ["financial", "reputation", "compliance", "safety", "environment", "operations"]}}

VERSION = {"type": "integer", "minimum": 1}
ASSESSMENT = _obj(
    ("id", "risk_id", "period", "likelihood", "impact", "score", "level", "assessed_by", "assessed_at", "version"),
    id=INT, risk_id=INT, period=PERIOD, likelihood=INT, impact=INT, score=INT, level=LEVEL, rationale=STR,
    assessed_by=NSTR, assessed_at={"type": "string", "format": "date-time"}, revision=INT, standard_id=INT,
    impacts=IMPACTS, version=VERSION,
)
RISK_FIELDS = dict(title={"type": "string", "minLength": 1, "maxLength": 200}, category=STR, unit=STR,
                   owner={"type": "string", "maxLength": 100}, source={"type": "string", "maxLength": 4000},
                   causes={"type": "string", "maxLength": 4000}, response_strategy=STRATEGY,
                   measures={"type": "string", "maxLength": 4000},
                   status={"type": "string", "enum": ["active", "retired"]})
RULE = {"type": "string", "enum": ["above_target", "below_target", "above_budget", "below_budget", "behind_progress"]}
PLAN = {"type": ["string", "null"], "enum": ["revenue", "profit", "collection", None]}
NNUM = {"type": ["number", "null"]}
INDICATOR_INPUT = dict(code=matching(values.INDICATOR_CODE), name=_text(200, required=True), unit=_optional(UNIT_CODE),
                       measure=_text(16), rule=RULE, carry_over={"type": "boolean"}, plan=PLAN,
                       risk_id=_optional(ID), owner=_text(64))
WARNING = _obj(("id", "risk_id", "indicator_id", "code", "level", "reason", "previous_level", "response", "progress", "status",
                "version", "actions"),
               id=INT, risk_id={"type": ["integer", "null"]}, indicator_id={"type": ["integer", "null"]}, code=STR,
               title=STR, unit=NSTR, period=PERIOD, level={"type": ["string", "null"]},
               cause={"type": ["string", "null"], "enum": ["internal", "external", None]}, explanation=STR,
               reason={"type": "string", "enum": ["level", "escalated", "indicator"]},
               previous_level={"type": ["string", "null"]}, response=STR,
               progress={"type": "integer", "minimum": 0, "maximum": 100},
               status={"type": "string", "enum": ["open", "in_progress", "done"]}, version=VERSION,
               actions={"type": "array", "items": _obj(
                   ("id", "code", "title", "state", "owner", "due_date", "overdue"), id=INT, code=STR, title=STR,
                   state={"type": "string", "enum": ["open", "in_progress", "submitted", "done", "cancelled"]},
                   owner=STR, due_date={"type": "string", "format": "date"}, overdue={"type": "boolean"})})
RISK_INPUT = dict(title=_text(200, required=True), category=CATEGORY_CODE, unit=UNIT_CODE, owner=_text(100),
                  source=_text(4000), causes=_text(4000), response_strategy=STRATEGY, measures=_text(4000),
                  status={"type": "string", "enum": ["active", "retired"]})
# The impact may be left out (or null) when given per dimension: the worst dimension counts.
GRADE_INPUT = dict(likelihood=GRADE, impact=_optional(GRADE),
                   impacts={"type": ["object", "null"], "properties": {d: GRADE for d in IMPACT_DIMENSIONS},
                            "additionalProperties": False},
                   rationale=_text(4000))
SCALE = {"type": "array", "items": _obj(("value", "name", "name_en"), value=INT, name=STR, name_en=STR,
                                        descriptor=STR, descriptor_en=STR)}

SCHEMAS.update({
    "Risk": _obj(("id", "code", "title", "category", "unit", "owner", "source", "causes", "response_strategy",
                  "measures", "status", "version", "latest"),
                 id=INT, code=STR, version=INT, latest={"oneOf": [ASSESSMENT, {"type": "null"}]},
                 supervision={"type": "object", "properties": {
                     "projects": {"type": "array", "items": {"type": "object"}},
                     "recommendations": {"type": "array", "items": {"type": "object"}}}}, **RISK_FIELDS),
    "RiskCreate": _input(("title", "category", "unit"), code=_optional(matching(values.RISK_CODE)),
                         **RISK_INPUT),
    "RiskPatch": _input(("version",), version=ID, code=STR, **RISK_INPUT),
    "Assessment": ASSESSMENT,
    "AssessmentList": _obj(("items",), items={"type": "array", "items": ASSESSMENT}),
    "AssessmentCreate": _input(("period", "likelihood"), period=PERIOD, **GRADE_INPUT),
    "AssessmentRevise": _input(("likelihood",), **GRADE_INPUT, version=VERSION),
    "CategoryList": {"type": "array", "items": _obj(("code", "name", "name_en", "parent"), code=STR, name=STR,
                                                    name_en=STR, parent=NSTR)},
    "Standard": _obj(("version", "likelihood", "impact", "bands", "cells"), id=INT, version=INT,
                     likelihood=SCALE, impact=SCALE,
                     bands={"type": "array", "items": _obj(("code", "name", "name_en", "colour", "min_score"),
                                                           code=LEVEL, name=STR, name_en=STR, colour=STR,
                                                           min_score=INT,
                                                           scores={"type": "array", "items": INT})},
                     cells={"type": "array", "items": _obj(("likelihood", "impact", "score", "level"),
                                                           likelihood=INT, impact=INT, score=INT, level=LEVEL)}),
    "Heatmap": _obj(("period", "total", "cells"), period=PERIOD, total=INT,
                    cells={"type": "array", "items": _obj(("likelihood", "impact", "count"), likelihood=INT,
                                                          impact=INT, count=INT, level=LEVEL)}),
    "MajorRisks": _obj(("period", "items"), period=PERIOD, items={"type": "array", "items": _obj(
        ("rank", "risk_id", "code", "title", "likelihood", "impact", "score", "level"), rank=INT, risk_id=INT,
        code=STR, title=STR, unit=STR, likelihood=INT, impact=INT, score=INT, level=LEVEL)}),
    "Warning": WARNING,
    "WarningPatch": _input((), response={"type": "string", "maxLength": 4000},
                           progress={"type": "integer", "minimum": 0, "maximum": 100},
                           status={"type": "string", "enum": ["open", "in_progress", "done"]},
                           cause={"type": ["string", "null"], "enum": ["internal", "external", None]},
                           explanation={"type": "string", "maxLength": 4000}, version=VERSION),
    "Indicator": _obj(("id", "code", "name", "unit", "measure", "rule", "carry_over", "risk_id", "owner", "active",
                       "version"), id=INT, code=STR, name=STR, unit=NSTR, measure=STR, rule=RULE,
                      carry_over={"type": "boolean"}, plan=PLAN, risk_id={"type": ["integer", "null"]}, owner=NSTR,
                      active={"type": "boolean"}, version=VERSION,
                      latest=_obj(("period", "value", "breached"), period=PERIOD, value=NUM,
                                  breached={"type": "boolean"})),
    "IndicatorCreate": _input(("code", "name", "rule"), **INDICATOR_INPUT),
    "IndicatorPatch": _input((), **INDICATOR_INPUT, active={"type": "boolean"}, version=VERSION),
    "IndicatorValue": _input(("period", "value"), period=PERIOD, value=MEASURE),
    "Breach": _obj(("indicator_id", "period", "value", "breached", "compared_with", "variance"), indicator_id=INT,
                   period=PERIOD, value=NUM, ytd=NNUM, breached={"type": "boolean"}, compared_with=NNUM,
                   variance=NNUM),
    "IndicatorValues": _obj(("items",), items={"type": "array", "items": _obj(
        ("period", "value", "ytd", "compared_with", "variance", "breached"), period=PERIOD, value=NUM, ytd=NNUM,
        compared_with=NNUM, variance=NNUM, breached={"type": "boolean"})}),
    "Targets": _input(("annual", "monthly"), annual=_optional(MEASURE),
                      monthly={"type": "array", "minItems": 12, "maxItems": 12, "items": _optional(MEASURE)}),
    "TargetsSet": _obj(("year", "annual", "monthly", "effective_budget"), indicator_id=INT, year=INT, annual=NNUM,
                       monthly={"type": "array", "items": NNUM}, effective_budget={"type": "array", "items": NNUM}),
})

SHEET_STATE = {"type": ["string", "null"], "enum": ["grading", "submitted", "confirmed", "accepted", None]}
ROUND_UNIT = _obj(("unit", "graded", "total", "open", "state", "returned_reason"), unit=STR, graded=INT, total=INT,
                  open={"type": "boolean"}, state=SHEET_STATE, returned_reason=STR)
SCHEMAS.update({
    "Round": _obj(("period", "deadline", "closed", "complete", "units"), period=PERIOD,
                  deadline={"type": "string", "format": "date"}, closed={"type": "boolean"}, complete={"type": "boolean"},
                  units={"type": "array", "items": ROUND_UNIT}),
    "RoundUnit": ROUND_UNIT,
    "RoundOpen": _input(("period", "deadline"), period=PERIOD, deadline=DAY),
    "RoundReopen": _input(("unit", "reason", "deadline"), unit=UNIT_CODE, reason=_text(1000, required=True),
                          deadline=DAY),
})

DATE = {"type": ["string", "null"], "format": "date"}
# The kinds are a list the admin edits (GET /supervision-kinds): the service checks the code.
PROJECT_KIND = {"type": "string", "minLength": 1, "maxLength": 30}
METHOD = {"type": "string", "enum": ["document_analysis", "efficiency_audit", "target_assessment"]}
PROJECT = _obj(("id", "code", "year", "title", "kind", "method", "lead_unit", "participating_units", "state",
                "transitions", "version"),
               id=INT, code=STR, year=INT, title=STR, kind=PROJECT_KIND, method=METHOD, lead_unit=STR,
               participating_units={"type": "array", "items": STR}, reason=STR, scope=STR, control_points=STR,
               plan=STR, start_date=DATE, end_date=DATE, economic_benefit=NUM, indirect_benefit=STR, state=STR,
               origin={"type": "string", "enum": ["company", "unit"]},
               workflow_version=INT, transitions={"type": "array", "items": STR},
               recommendations={"type": "array", "items": INT}, risk_ids={"type": "array", "items": INT},
               version=VERSION)
RECOMMENDATION = _obj(("id", "project_id", "letter_no", "finding", "recommendation", "responsible_unit",
                       "due_date", "state", "overdue", "transitions", "version"),
                      id=INT, project_id=INT, letter_no=STR, finding=STR, basis=STR, recommendation=STR,
                      responsible_unit=STR, due_date={"type": "string", "format": "date"}, state=STR,
                      overdue={"type": "boolean"},
                      escalation={"type": ["string", "null"], "enum": ["blue", "yellow", "red", None]},
                      rectification_report=STR, workflow_version=INT, transitions={"type": "array", "items": STR},
                      risk_ids={"type": "array", "items": INT}, version=VERSION)
PROJECT_INPUT = dict(year={"type": "integer", "minimum": 2000, "maximum": 2100}, title=_text(200, required=True),
                     kind=PROJECT_KIND, method=METHOD, lead_unit=UNIT_CODE,
                     participating_units={"type": ["array", "null"], "items": UNIT_CODE},
                     reason=_text(4000), scope=_text(4000), control_points=_text(4000), plan=_text(8000),
                     start_date=DATE, end_date=DATE, economic_benefit=_optional(YUAN), indirect_benefit=_text(4000),
                     risk_ids={"type": ["array", "null"], "items": ID})
RECOMMENDATION_INPUT = dict(finding=_text(8000, required=True), basis=_text(8000),
                            recommendation=_text(8000, required=True), responsible_unit=UNIT_CODE, due_date=DATE,
                            risk_ids={"type": ["array", "null"], "items": ID})
SCHEMAS.update({
    "Project": PROJECT,
    # A unit head's call is a proposal for their own unit: the lead unit may be left out.
    "ProjectCreate": _input(("title", "kind", "method"), **PROJECT_INPUT),
    # An edit sends the fields it changes, and the version it read last.
    "ProjectPatch": _input((), **PROJECT_INPUT, version=VERSION),
    "Recommendation": RECOMMENDATION,
    "RecommendationCreate": _input(("finding", "recommendation", "responsible_unit"), **RECOMMENDATION_INPUT),
    "RecommendationPatch": _input((), **RECOMMENDATION_INPUT, version=VERSION),
    # A workflow file may require fields of its own: any other field is a short value.
    "TransitionRequest": {"type": "object", "required": ["transition"],
                          "properties": {"transition": {"type": "string", "minLength": 1, "maxLength": 40},
                                         "comment": _text(4000), "report": _text(4000)},
                          "additionalProperties": {"type": ["string", "number", "boolean", "null"],
                                                   "maxLength": 4000}},
    "TransitionResult": {"type": "object", "required": ["id", "state"],
                         "properties": {"id": INT, "state": STR, "transitions": {"type": "array", "items": STR}}},
})

SCHEMAS["Attachment"] = _obj(("id", "filename", "size", "content_type", "download_url"), id=INT, filename=STR,
                             size=INT, content_type=STR, sha256=STR, download_url=STR)

SEVERITY = {"type": "integer", "minimum": 0, "maximum": 5}
LOSSES = {"type": "object", "properties": {"financial": {"type": "number", "minimum": 0}, "reputation": SEVERITY,
                                           "compliance": SEVERITY, "safety": SEVERITY, "environment": SEVERITY,
                                           "operations": SEVERITY}}
LOSSES_INPUT = {"type": ["object", "null"], "additionalProperties": False,
                "properties": {"financial": _optional(YUAN), **{d: _optional(SEVERITY) for d in (
                    "reputation", "compliance", "safety", "environment", "operations")}}}
INCIDENT_KIND = {"type": "string", "enum": ["loss_event", "near_miss"]}
LOSS_TYPE = {"type": ["string", "null"], "enum": ["internal_fraud", "external_fraud", "employment_safety",
                                                  "clients_products", "physical_assets", "disruption_systems",
                                                  "execution_process", None]}
INCIDENT_INPUT = dict(title=_text(200, required=True), kind=INCIDENT_KIND, occurred_on=DAY, discovered_on=DAY,
                      unit=UNIT_CODE, description=_text(8000), cause=_text(8000), handling=_text(8000),
                      lessons=_text(8000), losses=LOSSES_INPUT, recoveries=_optional(YUAN), loss_type=LOSS_TYPE,
                      corrective_action=_text(8000), action_owner=_text(100), action_due=DATE,
                      risk_ids={"type": ["array", "null"], "items": ID})
SCHEMAS.update({
    "Incident": _obj(("id", "code", "title", "kind", "unit", "occurred_on", "discovered_on", "quarter", "losses",
                      "risk_ids", "state", "transitions", "version"),
                     id=INT, code=STR, title=STR, kind=INCIDENT_KIND, unit=STR,
                     occurred_on={"type": "string", "format": "date"}, discovered_on={"type": "string", "format": "date"},
                     recorded_on={"type": "string", "format": "date"}, quarter=QUARTER,
                     loss_type=LOSS_TYPE, losses=LOSSES, recoveries=NUM, net_loss=NUM, description=STR, cause=STR,
                     handling=STR, lessons=STR, corrective_action=STR, action_owner=STR, action_due=DATE,
                     action_done={"type": "boolean"}, risk_ids={"type": "array", "items": INT}, state=STR,
                     transitions={"type": "array", "items": STR}, version=VERSION,
                     warning_case={"type": "boolean"}),
    "IncidentCreate": _input(("title", "kind", "occurred_on", "discovered_on", "unit"), **INCIDENT_INPUT),
    "IncidentPatch": _input((), **INCIDENT_INPUT, version=VERSION),
})

SCHEMAS.update({
    "IncidentRound": _obj(("quarter", "deadline", "closed", "units"), quarter=QUARTER,
                          deadline={"type": "string", "format": "date"}, closed={"type": "boolean"},
                          units={"type": "array", "items": _obj(
                              ("unit", "status", "nil", "incidents"), unit=STR,
                              status={"type": "string", "enum": ["done", "late", "missing", "overdue"]},
                              nil={"type": "boolean"}, incidents=INT, submitted_on=DATE)}),
    "IncidentRoundOpen": _input(("quarter", "deadline"), quarter=QUARTER, deadline=DAY),
    "IncidentAnswer": _input((), nil=_optional({"type": "boolean"})),
    "MeetingCreate": _input(("quarter", "held_on", "attendees", "items"), quarter=QUARTER, held_on=DAY,
                            attendees=_text(8000, required=True), conclusions=_text(8000), actions=_text(8000),
                            decisions={"type": "array", "maxItems": 50, "items": _input(
                                ("title", "owner", "due_date"), title=_text(200, required=True),
                                owner=_text(64, required=True), due_date=DAY)},
                            items={"type": "array", "minItems": 1,
                                   "items": _input(("incident_id",), incident_id=ID, conclusion=_text(4000),
                                                   warning_case={"type": "boolean"})}),
    "Meeting": _obj(("id", "quarter", "held_on", "incident_ids"), id=INT, quarter=QUARTER,
                    held_on={"type": "string", "format": "date"}, incident_ids={"type": "array", "items": INT}),
    "CalibrationList": _obj(("items",), items={"type": "array", "items": _obj(
        ("risk_id", "code", "likelihood", "incidents", "per_year", "implied_likelihood"), risk_id=INT, code=STR,
        likelihood=INT, incidents=INT, per_year=NUM, implied_likelihood=INT)}),
})

SCHEMAS.update({
    "Report": _obj(("id", "kind", "period", "revision", "created_at", "download_url", "status"), id=INT,
                   kind={"type": "string", "enum": ["monthly", "quarterly", "annual", "progress"]}, period=STR,
                   revision=INT, created_at={"type": "string", "format": "date-time"}, created_by=STR,
                   size={"type": ["integer", "null"]}, download_url=STR, docx_url=NSTR,
                   status={"type": "string", "enum": ["draft", "issued"]}, commentary=STR,
                   issued_at={"type": ["string", "null"], "format": "date-time"}, issued_by=NSTR),
    "ReportPatch": _input(("commentary",), commentary={"type": "string", "maxLength": 20000}),
    "ReportCreate": _input(("kind", "period"), kind={"type": "string",
                                                     "enum": ["monthly", "quarterly", "annual", "progress"]},
                           period=matching(periods.ANY_PERIOD_PATTERN), regenerate=_optional({"type": "boolean"}),
                           language={"type": "string", "enum": ["zh_CN", "en"]}),
})

# Query parameters, as the endpoints' notes declare them: (name, required, schema).
LEVEL_PARAM = {"type": "string", "enum": ["low", "general", "significant", "major"]}
GRADE_PARAM = GRADE
YEAR_PARAM = {"type": "integer", "minimum": 1000, "maximum": 9999}
TEXT_PARAM = {"type": "string", "maxLength": 200}
AMOUNT_PARAM = MEASURE

NID = {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID}
ACTION_STATE = {"type": "string", "enum": ["open", "in_progress", "submitted", "done", "cancelled"]}
ACTION = _obj(("id", "code", "title", "owner", "unit", "due_date", "state", "overdue", "escalation", "risk_id",
               "warning_id", "incident_id", "transitions", "version", "attachments"),
              id=INT, code=STR, title=STR, description=STR, owner=STR, owner_name=STR, unit=NSTR,
              due_date={"type": "string", "format": "date"}, overdue={"type": "boolean"},
              escalation={"type": ["string", "null"], "enum": ["blue", "yellow", "red", None]}, state=ACTION_STATE,
              risk_id=NID, warning_id=NID, incident_id=NID, meeting_id=NID, report=STR,
              submitted_at={"type": ["string", "null"]}, done_at={"type": ["string", "null"]}, created_at=STR,
              workflow_version=INT, transitions={"type": "array", "items": STR}, version=VERSION,
              attachments={"type": "array", "items": _obj(("id", "filename", "size", "download_url"), id=INT,
                                                          filename=STR, size=INT, download_url=STR)})
ACTION_INPUT = dict(title=_text(200, required=True), description=_text(8000), owner={"type": "string",
                    "minLength": 1, "maxLength": 80}, due_date={"type": "string", "format": "date"},
                    risk_id=NID, warning_id=NID, incident_id=NID, meeting_id=NID)
SCHEMAS.update({
    "Action": ACTION,
    "ActionCreate": _input(("title", "owner", "due_date"), **ACTION_INPUT),
    "ActionPatch": _input((), **ACTION_INPUT, version=VERSION),
})

NOTIFICATION_KIND = {"type": "string", "enum": list(notification_kinds.KINDS)}
CHANNEL = {"type": "string", "enum": list(notification_kinds.CHANNELS)}
SCHEMAS.update({
    "Notification": _obj(("id", "kind", "title", "link", "created_at", "read"), id=INT, kind=NOTIFICATION_KIND,
                         title=STR, link=STR, created_at={"type": "string", "format": "date-time"},
                         read={"type": "boolean"}),
    "NotificationsRead": _obj(("read",), read=INT),
    "NotificationChannels": _obj(("channels",), channels={
        "type": "object", "properties": {kind: CHANNEL for kind in notification_kinds.KINDS},
        "additionalProperties": False}),
    "NotificationChannelsPatch": _input(("channels",), channels={
        "type": "object", "properties": {kind: CHANNEL for kind in notification_kinds.KINDS},
        "additionalProperties": False}),
})

SCHEMAS.update({
    # A warning case (警示案例) as every unit reads it: incidents/cases.py's shared view, nothing more.
    "WarningCase": _obj(("code", "title", "kind", "occurred_on", "unit", "unit_name", "cause", "lessons",
                         "gross_loss", "net_loss"), code=STR, title=STR, kind=INCIDENT_KIND,
                        occurred_on={"type": "string", "format": "date"}, unit=STR, unit_name=STR, cause=STR,
                        lessons=STR, gross_loss=NUM, net_loss=NUM),
    "WarningCaseSet": _input(("warning_case",), warning_case={"type": "boolean"}),
})

# notices: 效能监察通知书 (riskflow/api/notices.py).
NOTICE = _obj(("id", "number", "download_url", "project_id", "recipient_unit", "subject", "content", "issued_on"),
              id=INT, number=STR, download_url=STR, project_id=INT, recipient_unit=STR, subject=STR, content=STR,
              issued_on={"type": "string", "format": "date"})
SCHEMAS.update({
    "Notice": NOTICE,
    "NoticeList": _obj(("items",), items={"type": "array", "items": NOTICE}),
    "NoticeCreate": _input(("recipient_unit", "subject", "content"), recipient_unit=UNIT_CODE,
                           subject=_text(200, required=True), content=_text(8000, required=True)),
})

# The year's supervision plan: five phases' start and end dates.
PLAN_DATES = {f"{phase}_{end}": DAY for phase in ("preparation", "implementation", "tracking", "inspection", "summary")
              for end in ("start", "end")}
SCHEMAS.update({
    "SupervisionPlan": _obj(("year", "stored", "notes", "version", *PLAN_DATES), year=INT, stored={"type": "boolean"},
                            notes=STR, version=INT, **PLAN_DATES),
    "SupervisionPlanPut": _input(tuple(PLAN_DATES), **PLAN_DATES, notes=_text(4000),
                                 version={"type": "integer", "minimum": 0}),
})

# benefits: a project's direct economic benefits (直接经济效益). The amount is a number or a numeric string: the
# service says at `amount` what is wrong with it (negative, zero, not a number).
BENEFIT = _obj(("id", "project_id", "amount", "kind", "recommendation_id", "letter_no", "description", "created_at",
                "created_by"),
               id=INT, project_id=INT, amount=NUM, kind=STR, recommendation_id={"type": ["integer", "null"]},
               letter_no=NSTR, description=STR, created_at={"type": "string", "format": "date-time"},
               created_by=NSTR)
SCHEMAS.update({
    "Benefit": BENEFIT,
    "BenefitCreate": _input(("amount", "kind"), amount={"type": ["number", "string"], "maxLength": 40},
                            kind={"type": "string", "maxLength": 30},
                            recommendation_id={"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
                            description=_text(4000)),
    "BenefitList": _obj(("items", "total", "by_kind"), items={"type": "array", "items": BENEFIT},
                        total=NUM, by_kind={"type": "object", "additionalProperties": NUM}),
})
# inspection: the mid-year inspection (年中督导检查) of a project, and the recommendations raised from it.
# The service refuses a code off the list, naming the choices as people read them (not the codes).
INSPECTION_METHOD = {"type": "string", "maxLength": 20, "description": "report, documents, site or forum"}
INSPECTION_RATING = {"type": "string", "maxLength": 20, "description": "good, fair, average or poor"}
INSPECTION = _obj(("id", "project_id", "held_on", "methods", "findings", "rating", "recommendations", "version"),
                  id=INT, project_id=INT, held_on=DAY, methods={"type": "array", "items": INSPECTION_METHOD},
                  findings=STR, rating=INSPECTION_RATING, recommendations={"type": "array", "items": INT},
                  version=VERSION)
INSPECTION_INPUT = dict(held_on=DAY, methods={"type": "array", "maxItems": 4, "items": INSPECTION_METHOD},
                        findings=_text(8000), rating=INSPECTION_RATING)
SCHEMAS.update({
    "Inspection": INSPECTION,
    "Inspections": _obj(("items",), items={"type": "array", "items": INSPECTION}),
    "InspectionCreate": _input(("held_on", "methods", "findings", "rating"), **INSPECTION_INPUT),
    "InspectionPatch": _input((), **INSPECTION_INPUT, version=VERSION),
})
for _name in ("RecommendationCreate", "RecommendationPatch"):
    SCHEMAS[_name]["properties"]["inspection_id"] = _optional(ID)
SCHEMAS["Recommendation"]["properties"]["inspection_id"] = {"type": ["integer", "null"]}

# yearfigures: the admin's list of project kinds and the year's figures.
KIND_LABEL = _text(100, required=True)
SCHEMAS.update({
    "SupervisionKind": _obj(("code", "label", "label_zh", "label_en", "position", "active", "used"), code=STR,
                            label=STR, label_zh=STR, label_en=STR, position=INT, active={"type": "boolean"},
                            used={"type": "boolean"}),
    "SupervisionKindCreate": _input(("code", "label_zh", "label_en"), code={"type": "string", "maxLength": 30},
                                    label_zh=KIND_LABEL, label_en=KIND_LABEL,
                                    position={"type": "integer", "minimum": 0, "maximum": 9999},
                                    active={"type": "boolean"}),
    "SupervisionKindPatch": _input((), label_zh=KIND_LABEL, label_en=KIND_LABEL,
                                   position={"type": "integer", "minimum": 0, "maximum": 9999},
                                   active={"type": "boolean"}),
    "SupervisionSummary": _obj(
        ("year", "projects", "notices", "recommendations", "closed_loop_rate", "economic_benefit"), year=INT,
        projects=_obj(("total", "closed", "by_kind", "by_unit", "by_origin"), total=INT, closed=INT,
                      by_kind={"type": "object", "additionalProperties": INT},
                      by_unit={"type": "object", "additionalProperties": INT},
                      by_origin={"type": "object", "additionalProperties": INT}),
        notices=INT, recommendations=_obj(("issued", "verified", "overdue"), issued=INT, verified=INT, overdue=INT),
        closed_loop_rate=NUM,
        economic_benefit=_obj(("total", "by_kind"), total=NUM,
                              by_kind={"type": "object", "additionalProperties": NUM})),
})
