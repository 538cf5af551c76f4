"""The facilitator key (CONTRACT section 5): every /admin call needs ``Authorization: Bearer KEY``.

Without it the answer is ``401 {"error": "admin_key_required"}`` before any
route runs, so nothing changes and nothing is read. Admin answers are never
cached and carry no CORS headers: a page from another origin can neither
read them nor (without the key, which only the facilitator's page holds)
change anything.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, Response, jsonify, request

ADMIN_PREFIX = "/admin"


def make_key() -> str:
    """A fresh random key, safe in a URL and a header (32 characters)."""
    return secrets.token_urlsafe(24)


def key_matches(given: str | None, key: str) -> bool:
    """Constant-time, on bytes (a non-ASCII guess must not raise)."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), key.encode("utf-8"))


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def is_admin_path(path: str) -> bool:
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


def install(app: Flask, key: str) -> None:
    """Guard every /admin path of ``app`` with ``key``."""

    @app.before_request
    def _require_key():
        if is_admin_path(request.path) and not key_matches(bearer(request.headers.get("Authorization")), key):
            response = jsonify({"error": "admin_key_required",
                                "message": "Send the facilitator key: Authorization: Bearer KEY"})
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="mock-gov admin"'
            return response
        return None

    @app.after_request
    def _no_store_no_cors(response: Response) -> Response:
        if is_admin_path(request.path):
            response.headers["Cache-Control"] = "no-store"
            for name in {name for name, _value in response.headers if name.lower().startswith("access-control-")}:
                del response.headers[name]
        return response
