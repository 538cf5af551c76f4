"""Sign-in (CONTRACT section 3): POST /v1/auth/token and GET /v1/me.

The token endpoint takes the contract's JSON body, and also the form encoding
OAuth 2.0 clients usually send, so a stock OAuth library works too.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from flask import Blueprint, jsonify, request

from services.mock.http_errors import BadRequest, parse_json_object, read_body_bytes
from services.mock.personas import authenticate
from services.mock.state import current_state
from services.mock.tokens import Grant

blueprint = Blueprint("auth", __name__)


def _invalid_request(message: str) -> BadRequest:
    return BadRequest(400, {"error": "invalid_request", "error_description": message})


def _token_request() -> dict[str, Any]:
    data = read_body_bytes()
    if request.mimetype == "application/x-www-form-urlencoded":
        try:
            return dict(urllib.parse.parse_qsl(data.decode("utf-8"), max_num_fields=20))
        except ValueError:
            raise _invalid_request("The form could not be read") from None
    if request.mimetype != "application/json":
        raise BadRequest(415, {"error": "unsupported_media_type",
                               "message": "Send the body as JSON with Content-Type: application/json"})
    try:
        return parse_json_object(data)
    except BadRequest:
        raise _invalid_request("The body must be a JSON object") from None


def _no_store(payload: dict, status: int = 200):
    response = jsonify(payload)
    response.status_code = status
    # RFC 6749 5.1: token responses must not be cached.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@blueprint.post("/v1/auth/token")
def token():
    body = _token_request()
    state = current_state()
    grant_type = body.get("grant_type")
    if grant_type == "password":
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            raise _invalid_request("Send a username and a password")
        persona = authenticate(state.personas, username, password)
        if persona is None:
            return _no_store({"error": "invalid_grant"}, 401)
        return _no_store(state.tokens.issue(persona.username, persona.scope))
    if grant_type == "refresh_token":
        refresh_token = body.get("refresh_token")
        if not isinstance(refresh_token, str) or not refresh_token:
            raise _invalid_request("Send the refresh_token")
        issued = state.tokens.refresh(refresh_token)
        if issued is None:
            return _no_store({"error": "invalid_grant"}, 401)
        return _no_store(issued)
    if grant_type is None:
        raise _invalid_request("Send a grant_type: password or refresh_token")
    return _no_store({"error": "unsupported_grant_type"}, 400)


def require_grant() -> Grant:
    """The signed-in citizen behind this request's bearer token, or a 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    grant = None
    if scheme.lower() == "bearer" and token:
        grant = current_state().tokens.check(token)
    if grant is None:
        challenge = 'Bearer error="invalid_token"' if header else "Bearer"
        raise BadRequest(401, {"error": "invalid_token"}, {"WWW-Authenticate": challenge})
    return grant


def require_scope(grant: Grant, service_id: str) -> None:
    if service_id not in grant.scope:
        raise BadRequest(403, {"error": "insufficient_scope"},
                         {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{service_id}"'})


@blueprint.get("/v1/me")
def me():
    grant = require_grant()
    persona = current_state().personas.get(grant.username)
    if persona is None:  # a token outliving a persona removed from the file
        raise BadRequest(401, {"error": "invalid_token"},
                         {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return jsonify({**persona.person, "verified": list(persona.verified)})
