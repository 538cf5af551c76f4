"""GET /v1/services: the catalogue, exactly the file the app bundles (CONTRACT section 2)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from services.mock.state import current_state

blueprint = Blueprint("catalogue", __name__)


@blueprint.get("/v1/services")
def services():
    return jsonify(current_state().catalogue.document)
