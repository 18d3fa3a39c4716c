"""Property-based run of the API against its own OpenAPI document (schemathesis, a bounded number of
examples per operation): no server error, no response the document does not describe."""
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance, not_a_server_error, response_schema_conformance, status_code_conformance,
)

EXAMPLES = int(__import__("os").environ.get("RISKFLOW_FUZZ_EXAMPLES", "8"))
# What the issue asks: no server error, and no status, content type or body the document does not describe.
# (Acceptance of schema-valid data is not among them: a future month or an unknown unit code is valid
# JSON Schema but a business refusal, answered 422 as the contract says.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_api_keeps_to_its_document(app, company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 3, 3)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    token = company.manager.headers["Authorization"]
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def check(case):
            case.headers = {**(case.headers or {}), "Authorization": token}
            case.call_and_validate(checks=CHECKS)

        try:
            check()
        except (Exception, ExceptionGroup) as exc:  # every operation's failure, reported together
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert failures == [], f"{len(failures)} operations:\n\n" + "\n\n".join(failures)
