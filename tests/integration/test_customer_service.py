"""Customer API service routes on both backends: health, /v3/api-docs kept true
against the real routes, /metrics, request ids.
"""

from __future__ import annotations

import copy
import re
import uuid

import pytest
from openapi_schema_validator import OAS30Validator, OAS31Validator
from openapi_spec_validator import validate as validate_spec

from customer_helpers import SEARCH_FILTERS, assert_error_body, new_customer_id

CUSTOMER_OPERATIONS = {("/api/customers", "get"), ("/api/customers", "post"),
                       ("/api/customers/{customerId}", "get"), ("/api/customers/{customerId}", "put"),
                       ("/api/customers/{customerId}", "delete")}
HEALTH_PATHS = ["/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"]
HTTP_METHODS = ("get", "post", "put", "delete", "patch")


# ---------------------------------------------------------------- health

@pytest.mark.parametrize("path", HEALTH_PATHS)
def test_health_endpoints_are_up(api, path):
    resp = api.get(path)
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].split(";")[0] == "application/json"
    assert resp.json() == {"status": "UP"}


def test_every_response_has_a_distinct_request_id(api):
    seen = set()
    for path in ["/actuator/health", "/api/customers/AROUT", "/api/customers/NOONE", "/nowhere"]:
        rid = api.get(path).headers["X-Request-Id"]
        assert rid not in seen
        seen.add(rid)
    rid = api.request("PATCH", "/api/customers").headers["X-Request-Id"]
    assert rid not in seen


# ---------------------------------------------------------------- OpenAPI

@pytest.fixture
def spec(api):
    resp = api.get("/v3/api-docs")
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].split(";")[0] == "application/json"
    return resp.json()


def test_api_docs_is_a_valid_openapi_3_document(spec):
    assert str(spec.get("openapi", "")).startswith("3."), spec.get("openapi")
    validate_spec(spec)


def operations(spec):
    for path, item in spec["paths"].items():
        for method in item:
            if method in HTTP_METHODS + ("head", "options", "trace"):
                yield path, method, item[method], item.get("parameters", [])


def test_api_docs_document_every_customer_route_its_filters_and_page(spec):
    documented = {(p, m) for p, m, _, _ in operations(spec)}
    assert CUSTOMER_OPERATIONS <= documented, sorted(CUSTOMER_OPERATIONS - documented)
    api_paths = {p for p, _ in documented if p.startswith("/api/")}
    assert api_paths == {"/api/customers", "/api/customers/{customerId}"}
    search = spec["paths"]["/api/customers"]["get"]
    query = {p["name"]: p for p in search.get("parameters", []) if p.get("in") == "query"}
    assert set(query) == set(SEARCH_FILTERS) | {"limit", "offset"}
    assert query["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}
    assert query["offset"]["schema"] == {"type": "integer", "minimum": 0, "maximum": 2147483647,
                                         "default": 0}
    assert "Link" in search["responses"]["200"]["headers"]


def response_validator(spec, schema):
    cls = OAS31Validator if str(spec["openapi"]).startswith("3.1") else OAS30Validator
    doc = copy.deepcopy(schema)
    doc["components"] = spec.get("components", {})
    return cls(doc)


def check_against_doc(spec, path, method, op, resp):
    documented = set(op.get("responses", {}))
    code = str(resp.status_code)
    assert code in documented or f"{code[0]}XX" in documented or "default" in documented, (
        f"{method.upper()} {path} answered {code}, documented: {sorted(documented)}")
    response = op["responses"].get(code) or op["responses"].get(f"{code[0]}XX") or op["responses"].get("default")
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        response = spec["components"]["responses"][name]
    media = (response.get("content") or {}).get("application/json")
    if media and "schema" in media:
        errors = sorted(response_validator(spec, media["schema"]).iter_errors(resp.json()), key=str)
        assert not errors, f"{method.upper()} {path} {code} body does not match the document: {errors[0]}"


def test_every_documented_operation_is_served_as_documented(api, spec):
    temp = [api.new_customer(companyName="Doc Target")["customerId"] for _ in range(2)]
    targets = {"get": "AROUT", "put": temp[0], "delete": temp[1]}
    for path, method, op, path_params in operations(spec):
        params = {p["name"] for p in list(path_params) + op.get("parameters", []) if p.get("in") == "path"}
        concrete = path
        for name in params:
            concrete = concrete.replace("{" + name + "}", targets.get(method, "AROUT") if name == "customerId"
                                        else "x")
        assert "{" not in concrete, f"undeclared path parameter in {path}"
        kw = {}
        if method == "post" and path == "/api/customers":
            cid = new_customer_id()
            kw["json"] = {"customerId": cid, "companyName": "Doc Created"}
            api.created.append(cid)
        elif method in ("post", "put"):
            kw["json"] = {"companyName": "Doc Updated"}
        resp = api.request(method.upper(), concrete, **kw)
        assert resp.status_code not in (404, 405), f"documented {method.upper()} {path} -> {resp.status_code}"
        assert resp.status_code < 500, f"{method.upper()} {concrete} -> {resp.status_code} {resp.text[:300]}"
        check_against_doc(spec, path, method, op, resp)


def test_documented_error_responses_match_real_errors(api, spec):
    cases = [("/api/customers/{customerId}", "get", "/api/customers/NOONE", {}),
             ("/api/customers", "post", "/api/customers", {"json": {"customerId": "AB"}}),
             ("/api/customers", "post", "/api/customers", {"json": {"customerId": "AROUT", "companyName": "x"}}),
             ("/api/customers/{customerId}", "put", "/api/customers/NOONE", {"json": {"companyName": "x"}}),
             ("/api/customers/{customerId}", "delete", "/api/customers/NOONE", {}),
             ("/api/customers", "get", "/api/customers?companyName=%FF", {})]
    for path, method, concrete, kw in cases:
        resp = api.request(method.upper(), concrete, **kw)
        assert resp.status_code >= 400
        check_against_doc(spec, path, method, spec["paths"][path][method], resp)


def test_undocumented_methods_on_documented_paths_are_405(api, spec):
    for path, item in spec["paths"].items():
        concrete = path.replace("{customerId}", "AROUT")
        for method in HTTP_METHODS:
            if method in item:
                continue
            resp = api.request(method.upper(), concrete, json={"companyName": "x"})
            assert resp.status_code == 405, f"undocumented {method.upper()} {path} -> {resp.status_code}"


@pytest.mark.parametrize("path", ["/api/customers/AROUT/orders", "/api/customer", "/v3/api-docs.yaml",
                                  "/v3", "/actuator", "/actuator/infos", "/swagger-ui", "/swagger-ui/index.html", "/metrics/x",
                                  "/api/finance/health"])
def test_undocumented_paths_are_404(api, spec, path):
    template = path.replace("/AROUT", "/{customerId}")
    assert path not in spec["paths"] and template not in spec["paths"]
    assert_error_body(api.get(path), 404)


# ---------------------------------------------------------------- metrics

SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def samples(text: str, name: str):
    for line in text.splitlines():
        m = SAMPLE_RE.match(line)
        if m and m.group(1) == name:
            yield dict(LABEL_RE.findall(m.group(2) or "")), float(m.group(3))


def customer_requests_total(api) -> float:
    resp = api.get("/metrics")
    assert resp.status_code == 200
    return sum(v for labels, v in samples(resp.text, "fantaco_http_requests_total")
               if "/api/customers/" in labels.get("route", ""))


def test_metrics_count_requests_by_route(api):
    for _ in range(2):
        api.get("/api/customers/AROUT")
    before = customer_requests_total(api)
    for _ in range(3):
        assert api.get("/api/customers/AROUT").status_code == 200
    resp = api.get("/metrics")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/plain")
    text = resp.text
    routes = {labels.get("route") for labels, _ in samples(text, "fantaco_http_requests_total")}
    assert any(r and "/api/customers" in r for r in routes), routes
    assert any(True for _ in samples(text, "fantaco_http_request_duration_seconds_bucket"))
    assert "# TYPE fantaco_http_requests_total counter" in text
    assert customer_requests_total(api) - before >= 3


def test_metrics_do_not_grow_a_label_per_unknown_path(api):
    marker = uuid.uuid4().hex
    assert api.get(f"/unknown/{marker}").status_code == 404
    assert api.get(f"/api/customers/{marker[:5].upper()}").status_code == 404
    text = api.get("/metrics").text
    assert marker not in text and marker[:5].upper() not in text, "raw paths must not become label values"
