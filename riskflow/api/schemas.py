"""JSON Schemas of the API's bodies, for the OpenAPI document."""

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
        },
    },
    "UnitCreate": {
        "type": "object",
        "required": ["code", "name"],
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"},
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "kind": {"type": "string", "enum": ["sales", "inspection", "management"]},
        },
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


STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
INT = {"type": "integer"}
NUM = {"type": "number"}
PERIOD = {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}
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
WARNING = _obj(("id", "risk_id", "code", "level", "reason", "previous_level", "response", "progress", "status",
                "version"),
               id=INT, risk_id=INT, code=STR, title=STR, unit=STR, period=PERIOD, level={"type": ["string", "null"]},
               reason={"type": "string", "enum": ["level", "escalated", "indicator"]},
               previous_level={"type": ["string", "null"]}, response=STR,
               progress={"type": "integer", "minimum": 0, "maximum": 100},
               status={"type": "string", "enum": ["open", "in_progress", "done"]}, version=VERSION)
SCALE = {"type": "array", "items": _obj(("value", "name", "name_en"), value=INT, name=STR, name_en=STR,
                                        descriptor=STR, descriptor_en=STR)}

SCHEMAS.update({
    "Risk": _obj(("id", "code", "title", "category", "unit", "owner", "source", "causes", "response_strategy",
                  "measures", "status", "version", "latest"),
                 id=INT, code=STR, version=INT, latest={"oneOf": [ASSESSMENT, {"type": "null"}]}, **RISK_FIELDS),
    "RiskCreate": _obj(("title", "category", "unit"), code={"type": "string", "maxLength": 32},
                       **RISK_FIELDS),
    "RiskPatch": _obj(("version",), version=INT, **{k: v for k, v in RISK_FIELDS.items()}),
    "Assessment": ASSESSMENT,
    "AssessmentList": _obj(("items",), items={"type": "array", "items": ASSESSMENT}),
    "AssessmentCreate": _obj(("period", "likelihood"), period=PERIOD, likelihood=INT, impact=INT,
                             impacts=IMPACTS, rationale=STR),
    "AssessmentRevise": _obj(("likelihood",), likelihood=INT, impact=INT, impacts=IMPACTS, rationale=STR,
                             version=VERSION),
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
    "WarningList": _obj(("period", "items"), period=PERIOD, items={"type": "array", "items": WARNING}),
    "WarningPatch": _obj((), response=STR, progress={"type": "integer", "minimum": 0, "maximum": 100},
                         status={"type": "string", "enum": ["open", "in_progress", "done"]}, version=VERSION),
    "Indicator": _obj(("id", "code", "name", "direction", "threshold", "risk_id"), id=INT, code=STR, name=STR,
                      direction={"type": "string", "enum": ["above", "below"]}, threshold=NUM,
                      risk_id={"type": ["integer", "null"]}, active={"type": "boolean"},
                      latest=_obj(("period", "value", "breached"), period=PERIOD, value=NUM,
                                  breached={"type": "boolean"})),
    "IndicatorCreate": _obj(("code", "name", "direction", "threshold"), code=STR, name=STR,
                            direction={"type": "string", "enum": ["above", "below"]}, threshold=NUM,
                            risk_id={"type": ["integer", "null"]}),
    "IndicatorValue": _obj(("period", "value"), period=PERIOD, value=NUM),
    "Breach": _obj(("breached",), indicator_id=INT, period=PERIOD, value=NUM, breached={"type": "boolean"}),
})

SCHEMAS.update({
    "Round": _obj(("period", "deadline", "closed", "units"), period=PERIOD, deadline={"type": "string", "format": "date"},
                  closed={"type": "boolean"},
                  units={"type": "array", "items": _obj(("unit", "graded", "total", "open"), unit=STR, graded=INT,
                                                        total=INT, open={"type": "boolean"})}),
    "RoundOpen": _obj(("period", "deadline"), period=PERIOD, deadline={"type": "string", "format": "date"}),
    "RoundReopen": _obj(("unit", "reason", "deadline"), unit=STR, reason={"type": "string", "minLength": 1},
                        deadline={"type": "string", "format": "date"}),
})

DATE = {"type": ["string", "null"], "format": "date"}
PROJECT_KIND = {"type": "string", "enum": ["major_decisions", "procurement", "budget", "financial_cost",
                                          "construction_cost", "large_funds", "tendering", "progress", "marketing",
                                          "sales_collection", "leasing", "process_building"]}
METHOD = {"type": "string", "enum": ["document_analysis", "efficiency_audit", "target_assessment"]}
PROJECT = _obj(("id", "code", "year", "title", "kind", "method", "lead_unit", "participating_units", "state",
                "transitions"),
               id=INT, code=STR, year=INT, title=STR, kind=PROJECT_KIND, method=METHOD, lead_unit=STR,
               participating_units={"type": "array", "items": STR}, reason=STR, scope=STR, control_points=STR,
               plan=STR, start_date=DATE, end_date=DATE, economic_benefit=NUM, indirect_benefit=STR, state=STR,
               workflow_version=INT, transitions={"type": "array", "items": STR},
               recommendations={"type": "array", "items": INT})
RECOMMENDATION = _obj(("id", "project_id", "letter_no", "finding", "recommendation", "responsible_unit",
                       "due_date", "state", "overdue", "transitions"),
                      id=INT, project_id=INT, letter_no=STR, finding=STR, basis=STR, recommendation=STR,
                      responsible_unit=STR, due_date={"type": "string", "format": "date"}, state=STR,
                      overdue={"type": "boolean"},
                      escalation={"type": ["string", "null"], "enum": ["blue", "yellow", "red", None]},
                      rectification_report=STR, workflow_version=INT, transitions={"type": "array", "items": STR})
SCHEMAS.update({
    "Project": PROJECT,
    "ProjectCreate": _obj(("title", "kind", "method", "lead_unit"), year=INT, title=STR, kind=PROJECT_KIND,
                          method=METHOD, lead_unit=STR, participating_units={"type": "array", "items": STR},
                          reason=STR, scope=STR, control_points=STR, plan=STR, start_date=DATE, end_date=DATE,
                          economic_benefit=NUM, indirect_benefit=STR),
    "Recommendation": RECOMMENDATION,
    "RecommendationCreate": _obj(("finding", "recommendation", "responsible_unit"), finding=STR, basis=STR,
                                 recommendation=STR, responsible_unit=STR, due_date=DATE),
    "TransitionRequest": {"type": "object", "required": ["transition"],
                          "properties": {"transition": STR, "comment": STR, "report": STR},
                          "additionalProperties": True},
    "TransitionResult": {"type": "object", "required": ["id", "state"],
                         "properties": {"id": INT, "state": STR, "transitions": {"type": "array", "items": STR}}},
})

SCHEMAS["Attachment"] = _obj(("id", "filename", "size", "content_type", "download_url"), id=INT, filename=STR,
                             size=INT, content_type=STR, sha256=STR, download_url=STR)

SEVERITY = {"type": "integer", "minimum": 0, "maximum": 5}
LOSSES = {"type": "object", "properties": {"financial": {"type": "number", "minimum": 0}, "reputation": SEVERITY,
                                           "compliance": SEVERITY, "safety": SEVERITY, "environment": SEVERITY,
                                           "operations": SEVERITY}}
INCIDENT_KIND = {"type": "string", "enum": ["loss_event", "near_miss"]}
LOSS_TYPE = {"type": ["string", "null"], "enum": ["internal_fraud", "external_fraud", "employment_safety",
                                                  "clients_products", "physical_assets", "disruption_systems",
                                                  "execution_process", None]}
SCHEMAS.update({
    "Incident": _obj(("id", "code", "title", "kind", "unit", "occurred_on", "discovered_on", "quarter", "losses",
                      "risk_ids", "state", "transitions"),
                     id=INT, code=STR, title=STR, kind=INCIDENT_KIND, unit=STR,
                     occurred_on={"type": "string", "format": "date"}, discovered_on={"type": "string", "format": "date"},
                     recorded_on={"type": "string", "format": "date"}, quarter={"type": "string", "pattern": r"^\d{4}-Q[1-4]$"},
                     loss_type=LOSS_TYPE, losses=LOSSES, recoveries=NUM, net_loss=NUM, description=STR, cause=STR,
                     handling=STR, lessons=STR, corrective_action=STR, action_owner=STR, action_due=DATE,
                     action_done={"type": "boolean"}, risk_ids={"type": "array", "items": INT}, state=STR,
                     transitions={"type": "array", "items": STR}),
    "IncidentCreate": _obj(("title", "kind", "occurred_on", "discovered_on", "unit"),
                           title=STR, kind=INCIDENT_KIND, occurred_on={"type": "string", "format": "date"},
                           discovered_on={"type": "string", "format": "date"}, unit=STR, description=STR, cause=STR,
                           handling=STR, lessons=STR, losses=LOSSES, recoveries=NUM, loss_type=LOSS_TYPE,
                           corrective_action=STR, action_owner=STR, action_due=DATE,
                           risk_ids={"type": "array", "items": INT}),
})

SCHEMAS.update({
    "IncidentRound": _obj(("quarter", "deadline", "closed", "units"), quarter=STR,
                          deadline={"type": "string", "format": "date"}, closed={"type": "boolean"},
                          units={"type": "array", "items": _obj(
                              ("unit", "status", "nil", "incidents"), unit=STR,
                              status={"type": "string", "enum": ["done", "late", "missing", "overdue"]},
                              nil={"type": "boolean"}, incidents=INT, submitted_on=DATE)}),
    "IncidentRoundOpen": _obj(("quarter", "deadline"), quarter={"type": "string", "pattern": r"^\d{4}-Q[1-4]$"},
                              deadline={"type": "string", "format": "date"}),
    "IncidentAnswer": _obj((), nil={"type": "boolean"}),
    "MeetingCreate": _obj(("quarter", "held_on", "attendees", "items"), quarter=STR,
                          held_on={"type": "string", "format": "date"}, attendees=STR, conclusions=STR, actions=STR,
                          items={"type": "array", "items": _obj(("incident_id",), incident_id=INT, conclusion=STR)}),
    "Meeting": _obj(("id", "quarter", "held_on", "incident_ids"), id=INT, quarter=STR,
                    held_on={"type": "string", "format": "date"}, incident_ids={"type": "array", "items": INT}),
    "CalibrationList": _obj(("items",), items={"type": "array", "items": _obj(
        ("risk_id", "code", "likelihood", "incidents", "per_year", "implied_likelihood"), risk_id=INT, code=STR,
        likelihood=INT, incidents=INT, per_year=NUM, implied_likelihood=INT)}),
})

SCHEMAS.update({
    "Report": _obj(("id", "kind", "period", "revision", "created_at", "download_url"), id=INT,
                   kind={"type": "string", "enum": ["monthly", "quarterly", "annual"]}, period=STR, revision=INT,
                   created_at={"type": "string", "format": "date-time"}, created_by=STR,
                   size={"type": ["integer", "null"]}, download_url=STR),
    "ReportCreate": _obj(("kind", "period"), kind={"type": "string", "enum": ["monthly", "quarterly", "annual"]},
                         period=STR, regenerate={"type": "boolean"},
                         language={"type": "string", "enum": ["zh_CN", "en"]}),
})
