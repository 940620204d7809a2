"""The OpenAPI document is a tested artifact: generated, served, and equal to the committed snapshot."""

import json
from pathlib import Path

from kefu.api.api import api

SNAPSHOT = Path(__file__).resolve().parents[1] / "openapi.json"


def current_schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api"), default=str))


def test_schema_matches_snapshot():
    """A failing test here means the API changed: review the diff, then run `kefu openapi --write`."""
    assert current_schema() == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


# Deliberately open: the public help center (常见问题) that customers read without logging in (KB1).
PUBLIC_PATHS = {"/api/v1/help/articles", "/api/v1/help/articles/{article_id}"}


def test_every_operation_documents_its_errors_and_auth():
    schema = current_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path in PUBLIC_PATHS:
                assert method == "get" and not operation.get("security"), f"{method} {path}"
                continue
            assert operation.get("security"), f"{method} {path} has no auth"
            if method in ("post", "patch"):
                assert "422" in operation["responses"], f"{method} {path} lacks 422"
    error = schema["components"]["schemas"]["ErrorDetail"]
    assert set(error["required"]) == {"code", "message"}


def test_docs_and_schema_are_served(client, world):
    client.force_login(world.agent)
    assert client.get("/api/docs").status_code == 200
    served = client.get("/api/openapi.json").json()
    assert "/api/v1/tickets" in served["paths"]
    assert served["paths"]["/api/v1/tickets/{ticket_id}"]["patch"]["responses"]["409"]
