"""schemathesis over every operation of the OpenAPI document, with the bearer tokens of a
few kinds of person: no server error, and every answer as the document describes it."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
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
REVOKES_THE_TOKEN = "DELETE /api/v1/auth/token"


def test_every_api_operation_answers_as_documented_for_every_role(app, tokens):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Revoking the token would end every later call of the role with 401: it goes last.
    revoking = [op for op in operations if op.label == REVOKES_THE_TOKEN]
    failures, calls = [], 0
    for operation in [op for op in operations if op not in revoking]:
        for who in ROLES:
            calls += _fuzz(operation, tokens[who], f"{who}: {operation.label}", failures)
    # every role's token still holds, so no operation above was fuzzed as the anonymous
    assert _refused_tokens(app, tokens) == []
    for operation in revoking:
        for who in ROLES:
            calls += _fuzz(operation, tokens[who], f"{who}: {operation.label}", failures)
    assert not failures, "\n".join(failures[:40])
    print(f"{calls} calls over {len(operations)} operations × {len(ROLES)} roles")


def _refused_tokens(app, tokens) -> list[str]:
    client = app.test_client()
    return [
        who
        for who in ROLES
        if tokens[who]
        and client.get(
            "/api/v1/tenants/leszno/decisions", headers={"Authorization": f"Bearer {tokens[who]}"}
        ).status_code
        == 401
    ]


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

    try:
        run()
    except Unsatisfiable:
        if mode is not GenerationMode.NEGATIVE:
            raise
        # nothing of this request can be made not to fit: a read whose only parameter is a
        # free-form path segment (…/{region_slug}/benchmark/publicity)
    return calls
