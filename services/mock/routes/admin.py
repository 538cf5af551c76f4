"""The tester's controls (CONTRACT section 5), and the feed the facilitator page polls.

No token: these calls are for the tester's machine and the projector, never
for a citizen. Faults are kept in memory; everything else is in SQLite.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from services.mock.facilitator_view import snapshot
from services.mock.faults import validate_changes
from services.mock.http_errors import BadRequest, parse_json_object, read_body_bytes
from services.mock.state import current_state

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.get("/inbox")
def inbox():
    state = current_state()
    return jsonify(state.inbox.by_service(state.catalogue.ids))


@blueprint.get("/faults")
def faults():
    return jsonify(current_state().faults.as_dict())


@blueprint.put("/faults/<service>")
def put_faults(service: str):
    state = current_state()
    if state.catalogue.get(service) is None:
        raise BadRequest(404, {"error": "unknown_service", "message": "There is no service with that name"})
    # A tester's curl may forget the Content-Type; the body must still be a JSON object.
    changes = parse_json_object(read_body_bytes())
    errors = validate_changes(changes)
    if errors:
        raise BadRequest(400, {"error": "invalid_faults",
                               "errors": [{"field": field, "message": message} for field, message in errors]})
    state.faults.merge(service, changes)
    state.changes.bump()
    return jsonify(state.faults.as_dict()[service])


@blueprint.delete("/faults")
def clear_faults():
    state = current_state()
    state.faults.clear()
    state.changes.bump()
    return jsonify(state.faults.as_dict())


@blueprint.post("/reset")
def reset():
    """Everything emptied: inboxes, keys, faults and sign-ins (?keep=tokens keeps sign-ins)."""
    state = current_state()
    include_tokens = request.args.get("keep") != "tokens"
    state.inbox.reset(include_tokens=include_tokens)
    state.faults.clear()
    state.changes.bump()
    return jsonify({"reset": True, "tokens_revoked": include_tokens})


@blueprint.get("/changes")
def changes():
    """What the facilitator page polls: the current version, and a fresh snapshot when it moved."""
    state = current_state()
    version = state.changes.version
    since = request.args.get("since", "")
    if since == version:
        return jsonify({"version": version, "changed": False})
    return jsonify({"version": version, "changed": True, "snapshot": snapshot(state)})
