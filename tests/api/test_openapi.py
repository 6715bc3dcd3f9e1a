"""The OpenAPI document, read operation by operation: what it promises an integrator."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    validate(spec)
    return spec


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", item, operation


def _response(spec, answer: dict) -> dict:
    name = answer.get("$ref", "").rsplit("/", 1)[-1]
    return spec["components"]["responses"][name] if name else answer


def test_every_operation_is_described_and_tagged_by_feature(document):
    friendly = {tag["name"] for tag in document["tags"]}
    for label, _, operation in _operations(document):
        assert operation.get("summary"), label
        assert operation.get("description"), label
        assert operation["tags"] and set(operation["tags"]) <= friendly, label
        assert not any(tag.startswith("api_") for tag in operation["tags"]), label


def test_every_parameter_is_described(document):
    for label, item, operation in _operations(document):
        for parameter in item.get("parameters", []) + operation.get("parameters", []):
            assert parameter.get("description"), f"{label}: {parameter['name']}"


def test_every_error_is_the_problem_json_errors_really_are(document):
    problem = document["components"]["schemas"]["Problem"]
    assert problem["properties"]["status"]["type"] == "integer"
    assert {"type", "title", "status", "detail", "errors"} == set(problem["properties"])
    for label, _, operation in _operations(document):
        errors = {s: a for s, a in operation["responses"].items() if s >= "400"}
        assert "default" in errors, label
        for status, answer in errors.items():
            content = _response(document, answer)["content"]
            assert list(content) == ["application/problem+json"], f"{label} {status}"
        if "{" in label:
            assert "404" in errors, label
        if "security" in operation:
            assert {"401", "403"} <= set(errors), label


def test_error_answers_have_the_documented_shape(client):
    answer = client.get("/api/v1/tenants?page_size=1000")
    assert answer.status_code == 400
    assert answer.content_type == "application/problem+json"
    assert answer.json["status"] == 400
    assert "page_size" in answer.json["errors"]["query"]
