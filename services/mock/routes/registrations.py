"""The register of deaths: GET /v1/registrations/{reference} (CONTRACT section 8).

Any signed-in citizen may read a registration by its reference, as an
informant holding the certificate would; the reference is normalised as
people type it (lower case, spaces) before it is looked up.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from exchange.death import normalise_registration, registration_errors
from services.mock.http_errors import BadRequest
from services.mock.routes.auth import require_grant
from services.mock.state import current_state

blueprint = Blueprint("registrations", __name__)


@blueprint.get("/v1/registrations/<path:reference>")
def read_registration(reference: str):
    require_grant()
    normalised = normalise_registration(reference)
    errors = registration_errors(normalised)
    if errors:
        raise BadRequest(422, {"error": "validation_failed",
                               "errors": [{"field": field, "message": message} for field, message in errors]})
    record = current_state().registrations.get(normalised)
    if record is None:
        raise BadRequest(404, {"error": "not_found",
                               "message": "There is no registered death with this reference"})
    return jsonify(record)
