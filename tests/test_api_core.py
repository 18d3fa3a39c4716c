"""Bearer tokens, the error shape, pagination, the OpenAPI document and the health check."""
import re

from conftest import Api


def test_healthz_needs_no_token(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_a_call_without_token_is_401_in_the_contract_shape(client):
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert response.get_json() == {"error": "需要 API 令牌：Authorization: Bearer TOKEN。"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_401(client):
    response = Api(client, "rf_not-a-real-token").get("/units")
    assert response.status_code == 401
    assert response.get_json()["error"] == "API 令牌无效或已被吊销。"


def test_a_session_cookie_does_not_authenticate_the_api(client, make):
    from conftest import login

    make.user("li", "admin")
    login(client, "li")
    assert client.get("/api/v1/units").status_code == 401


def test_a_revoked_token_is_401(client, make, run_db):
    from riskflow.auth import service
    from riskflow.auth.models import ApiToken

    make.user("li", "viewer")
    token = make.token("li")
    api = Api(client, token)
    assert api.get("/units").status_code == 200
    run_db(lambda s: service.revoke_token(s, service.user_by_name(s, "li"), s.query(ApiToken).one().id))
    assert api.get("/units").status_code == 401


def test_a_token_of_a_deactivated_user_is_401(client, make, run_db):
    from riskflow.auth import service

    make.user("li", "viewer")
    api = Api(client, make.token("li"))

    def deactivate(s):
        service.user_by_name(s, "li").active = False

    run_db(deactivate)
    assert api.get("/units").status_code == 401


def test_tokens_are_stored_hashed(make, run_db):
    from riskflow.auth.models import ApiToken

    make.user("li", "viewer")
    token = make.token("li")
    stored = run_db(lambda s: s.query(ApiToken).one())
    assert token not in (stored.digest, stored.hint) and len(stored.digest) == 64
    assert token.startswith(stored.hint)


def test_admin_creates_a_unit(api_as):
    api = api_as("root", "admin")
    response = api.post("/units", {"code": "BJ", "name": "北京销售分公司"})
    assert response.status_code == 201
    body = response.get_json()
    assert {k: body[k] for k in ("code", "name", "kind", "active")} == {
        "code": "BJ", "name": "北京销售分公司", "kind": "sales", "active": True}


def test_a_role_without_permission_gets_403(api_as):
    api = api_as("boss", "viewer")
    response = api.post("/units", {"code": "BJ", "name": "北京"})
    assert response.status_code == 403
    assert response.get_json() == {"error": "您的角色无权执行此操作。"}
    assert api.get("/units").get_json()["total"] == 0


def test_malformed_json_is_400(api_as):
    api = api_as("root", "admin")
    response = api.client.post("/api/v1/units", headers={**api.headers, "Content-Type": "application/json"},
                               data="{not json")
    assert response.status_code == 400
    assert response.get_json() == {"error": "请求体必须是有效的 JSON。"}
    response = api.post("/units", [1, 2])
    assert response.status_code == 400
    assert response.get_json() == {"error": "请求体必须是 JSON 对象。"}


def test_invalid_fields_are_422_naming_each_field(api_as):
    api = api_as("root", "admin")
    response = api.post("/units", {"code": "北京!", "name": ""})
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "部分字段无效，未作任何更改。",
        "errors": {"code": ["请使用 1 至 32 个字母、数字、“-”或“_”。"], "name": ["不能为空。"]},
    }
    # The schema lets a blank name through; the service, which checks what it means, does not.
    response = api.post("/units", {"code": "BJ", "name": "  "})
    assert response.get_json() == {"error": "单位未创建。", "errors": {"name": ["名称必填。"]}}
    assert api.get("/units").get_json()["total"] == 0


def test_a_duplicate_is_409(api_as):
    api = api_as("root", "admin")
    assert api.post("/units", {"code": "BJ", "name": "北京"}).status_code == 201
    response = api.post("/units", {"code": "BJ", "name": "北京二"})
    assert response.status_code == 409
    assert response.get_json() == {"error": "单位 BJ 已存在。", "errors": {"code": ["已被占用。"]}}


def test_errors_follow_the_language_switch(api_as):
    api = api_as("boss", "viewer")
    response = api.post("/units?lang=en", {"code": "BJ", "name": "x"})
    assert response.get_json() == {"error": "Your role may not do this."}


def test_lists_are_paginated(api_as, make):
    for i in range(5):
        make.unit(f"U{i}", f"单位{i}")
    api = api_as("boss", "viewer")
    body = api.get("/units?page=2&per_page=2").get_json()
    assert body["total"] == 5 and body["page"] == 2 and body["per_page"] == 2
    assert [u["code"] for u in body["items"]] == ["U2", "U3"]
    assert api.get("/units?page=3&per_page=2").get_json()["items"][0]["code"] == "U4"
    assert api.get("/units").get_json()["per_page"] == 50


def test_per_page_above_200_or_bad_page_is_422(api_as):
    api = api_as("boss", "viewer")
    response = api.get("/units?per_page=201&page=0")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"page", "per_page"}
    assert api.get("/units?per_page=abc").status_code == 422
    assert api.get("/units?per_page=200").status_code == 200


def test_unknown_api_path_is_json_404(api_as):
    api = api_as("boss", "viewer")
    response = api.get("/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {"error": "未找到。"}


def test_openapi_document_describes_every_api_route(client, app):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") or rule.endpoint == "main.healthz":
            path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routed.add((path, method.lower()))
    assert documented == routed
    assert doc["paths"]["/api/v1/units"]["post"]["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}
