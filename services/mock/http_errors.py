"""JSON errors, and reading a request body so bad input is a 4xx, never a 5xx."""

from __future__ import annotations

import json
import logging
import sqlite3
import traceback
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("services.mock")

MAX_BODY_BYTES = 64 * 1024
# A notification is three levels deep; anything far deeper is not one, and
# deep structures are what make recursive encoders and decoders fall over.
MAX_DEPTH = 32


class BadRequest(Exception):
    """An answer to send instead of going on: status, JSON body, extra headers."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(body.get("error"))
        self.status = status
        self.body = body
        self.headers = headers or {}


def json_error(status: int, error: str, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    response = jsonify({"error": error, **extra})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Two values for one name: different parsers would keep different ones.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError("duplicate key")
        out[key] = value
    return out


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def require_json_content_type() -> None:
    mimetype = request.mimetype  # lower-cased, parameters stripped
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if mimetype != "application/json" or charset not in ("utf-8", "utf8"):
        raise BadRequest(415, {"error": "unsupported_media_type",
                               "message": "Send the body as JSON with Content-Type: application/json"})


def read_body_bytes() -> bytes:
    """The raw body, at most 64 KiB, whether sent with a Content-Length or chunked.

    Read here rather than through Flask's MAX_CONTENT_LENGTH, which cuts a
    chunked body short silently instead of refusing it.
    """
    too_large = BadRequest(413, {"error": "payload_too_large",
                                 "message": "The body must be 64 KiB or smaller"})
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise too_large
    cached = getattr(request, "_mock_body", None)
    if cached is not None:
        return cached
    chunks, size = [], 0
    while size <= MAX_BODY_BYTES:
        chunk = request.stream.read(MAX_BODY_BYTES + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_BODY_BYTES:
        raise too_large
    data = b"".join(chunks)
    request._mock_body = data
    return data


def parse_json_object(data: bytes) -> dict[str, Any]:
    """A JSON object from UTF-8 bytes, or BadRequest(400 malformed_json)."""
    malformed = BadRequest(400, {"error": "malformed_json", "message": "The body must be a JSON object"})
    try:
        text = data.decode("utf-8")  # strictly UTF-8: json.loads(bytes) would guess UTF-16/32
        value = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise malformed from None
    if not isinstance(value, dict) or _too_deep(value):
        raise malformed
    return value


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(BadRequest)
    def _bad_request(exc: BadRequest):
        response = jsonify(exc.body)
        response.status_code = exc.status
        for name, value in exc.headers.items():
            response.headers[name] = value
        return response

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        name = (exc.name or "error").lower().replace(" ", "_")
        response = json_error(exc.code or 400, name, message=exc.description or "")
        if exc.code == 405 and exc.response is None:
            allowed = getattr(exc, "valid_methods", None)
            if allowed:
                response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(sqlite3.OperationalError)
    def _busy(exc: sqlite3.OperationalError):
        # The database was too busy: that is overload, which a client should retry.
        log.warning("database busy: %s", type(exc).__name__)
        return json_error(503, "temporarily_unavailable", headers={"Retry-After": "1"})

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Never a 5xx for what a client sent. Log where it failed, but not the
        # exception's message: it may quote a value from the body.
        log.error("unexpected %s while handling %s %s\n%s", type(exc).__name__, request.method,
                  request.path, "".join(traceback.format_tb(exc.__traceback__)))
        return json_error(400, "bad_request", message="The request could not be understood")
