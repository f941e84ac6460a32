"""Answers serialised once: pydantic writes the JSON straight from the model.

A route that returns a model lets FastAPI validate it against ``response_model`` again and then
encode it (two passes over every field); a route that returns ``json_of(model)`` keeps
``response_model`` for the OpenAPI schema and sends the model's own JSON, the same bytes apart
from that second pass (bench/README.md, issue 16). The model was validated when it was built.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Response
from pydantic import BaseModel


def json_of(model: BaseModel, headers: Mapping[str, str] | None = None) -> Response:
    """``model`` as application/json, serialised by pydantic once."""
    return Response(model.model_dump_json(), media_type="application/json", headers=headers)
