"""Checks of a service's OpenAPI document against the service itself: the
operations it documents, and a reply measured against the document (status
documented, media type documented, body valid against the schema; a
text/event-stream reply event by event, as {"event", "data"})."""

from __future__ import annotations

import copy
import json

from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec

import http_client

from agent_stack import parse_sse

METHODS = ("get", "post", "put", "delete", "patch")


def fetch_document(base_url: str) -> dict:
    """GET /v3/api-docs of the service at base_url: 200, application/json; the parsed document."""
    client = http_client.HttpClient(base_url)
    try:
        resp = client.get("/v3/api-docs")
        assert resp.status_code == 200
        assert resp.headers["Content-Type"].split(";")[0] == "application/json"
        return resp.json()
    finally:
        client.close()


def documented_operations(spec: dict) -> set[tuple[str, str]]:
    """The (path, method) pairs of a valid OpenAPI 3 document (asserts that it is one)."""
    assert str(spec["openapi"]).startswith("3.")
    validate_spec(spec)
    return {(p, m) for p, item in spec["paths"].items() for m in item if m in METHODS}


def validate_reply(spec: dict, path: str, method: str, resp) -> None:
    """Asserts that resp is what the document says `method path` answers."""
    op = spec["paths"][path][method]
    where = f"{method.upper()} {path} {resp.status_code}"
    code = str(resp.status_code)
    assert code in op["responses"], f"{where}: not documented ({sorted(op['responses'])})"
    content = op["responses"][code].get("content", {})
    if not content:
        assert resp.content == b"", f"{where} has a body it does not document"
        return
    media = resp.headers["Content-Type"].split(";")[0]
    assert media in content, f"{where}: {media} is not one of {sorted(content)}"
    if media == "application/json":
        values = [resp.json()]
    elif media == "text/event-stream":
        values = [{"event": e, "data": json.dumps(d)} for e, d in parse_sse(resp.text.split("\n"))]
        assert values, f"{where}: an empty stream"
    else:
        return
    schema = copy.deepcopy(content[media]["schema"])
    schema["components"] = spec.get("components", {})
    for value in values:
        errors = sorted(OAS30Validator(schema).iter_errors(value), key=str)
        assert not errors, f"{where}: {errors[0]}"
