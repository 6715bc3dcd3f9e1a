"""schemathesis over every operation of the OpenAPI document, with the bearer tokens of a
few kinds of person: no server error, and every answer as the document describes it."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from app.extensions import limiter

ROLES = ("anonymous", "staff", "NGO of the city", "coordinator")
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Reads that do not fit the document (a page of 0, a date that is none): each refused with
# a documented error, never a 5xx.
READERS = ("anonymous", "staff")
# The demo's city and region, so that generated requests reach the code behind the tenant.
FIXED_PATH = {"tenant_slug": "leszno", "region_slug": "wielkopolskie"}


def test_every_api_operation_answers_as_documented_for_every_role(app, tokens):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures, calls = [], 0
    for operation in operations:
        for who in ROLES:
            calls += _fuzz(operation, tokens[who], f"{who}: {operation.label}", failures)
    assert not failures, "\n".join(failures[:40])
    print(f"{calls} calls over {len(operations)} operations × {len(ROLES)} roles")


def test_every_read_refuses_what_does_not_fit_the_document_as_documented(app, tokens):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    reads = [op for r in schema.get_all_operations() if (op := r.ok()).method.upper() == "GET"]
    failures, calls = [], 0
    for operation in reads:
        for who in READERS:
            label = f"{who}: {operation.label} (not fitting)"
            calls += _fuzz(operation, tokens[who], label, failures, GenerationMode.NEGATIVE)
    assert not failures, "\n".join(failures[:40])
    print(f"{calls} calls over {len(reads)} reads × {len(READERS)} roles, not fitting")


def _fuzz(
    operation,
    token: str | None,
    label: str,
    failures: list[str],
    mode: GenerationMode = GenerationMode.POSITIVE,
) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    calls = 0

    @settings(
        max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal calls
        for name in set(FIXED_PATH) & set(case.path_parameters or {}):
            case.path_parameters[name] = FIXED_PATH[name]
        limiter.reset()
        response = case.call(headers=headers)
        calls += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as failure:  # a group of failed checks
            failures.append(f"{label}: {str(failure)[:600]}")

    run()
    return calls
