"""Property-based fuzzing of the whole API from its OpenAPI document (schemathesis, marker `fuzz`).

Every operation gets generated requests as a supervisor (who reaches the most endpoints); the run fails on
any 5xx, any undocumented status code or content type, and any response that does not match the document.
Bounded: a fixed number of examples per operation, derandomised so CI runs the same requests every time.
It takes minutes, so it runs only when asked: `KEFU_FUZZ=1 pytest -m fuzz src/kefu/api/tests/test_fuzz.py`
(a step of .ci/run, once, on SQLite).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kefu.api.tests.test_schema import current_schema
from kefu.wsgi import application

EXAMPLES = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(current_schema())
schema.app = application


@pytest.fixture
def connection_kept(db):
    """The test's database connection survives each request (as Django's test client arranges it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.fuzz
@pytest.mark.skipif(not os.environ.get("KEFU_FUZZ"), reason="fuzzing runs when KEFU_FUZZ=1 (its own CI step)")
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_operation_crashes_or_breaks_its_documented_shape(case, world, connection_kept):
    token = world.auth(world.supervisor)["HTTP_AUTHORIZATION"]
    case.call_and_validate(headers={"Authorization": token}, checks=CHECKS)
