"""Telling a service (CONTRACT section 4): POST {endpoint} and GET {endpoint}/{reference}.

The checks run in this order, so each row of the contract's table answers
as written and cheap refusals come before any work:

  unknown service 404 -> body over 64 KiB 413 -> not JSON 415 -> token 401
  -> scope 403 -> faults (503/429, a hang) -> key missing 400
  -> malformed JSON 400 -> claim the key (replay 201, reused 422, in progress 409)
  -> latency -> validation 422, a reject_with fault included (the claim is released) -> store 201.

A reject_with fault is a refusal of the notification's content, so it comes where validation does:
a notification the service already holds is still answered with its first answer (a replay).

Only the last step stores anything, in one transaction with the key's answer.
"""

from __future__ import annotations

import urllib.parse

from flask import Blueprint, Flask, jsonify, request

from exchange.catalogue import Service
from exchange.death import normalise_registration
from services.mock.connections import hold
from services.mock.http_errors import (
    BadRequest,
    parse_json_object,
    read_body_bytes,
    require_json_content_type,
)
from services.mock.idempotency import Claimed, InProgress, Replay, Reused
from services.mock.inbox import AlreadyReported, ResetMeanwhile
from services.mock.routes.auth import require_grant, require_scope
from services.mock.state import MockState, current_state
from services.mock.validation import notification_errors

MAX_KEY_LENGTH = 255


def _idempotency_key() -> str:
    key = request.headers.get("Idempotency-Key")
    if key is None or key == "":
        raise BadRequest(400, {"error": "idempotency_key_missing",
                               "message": "Send an Idempotency-Key header, unique to this notification"})
    if len(key) > MAX_KEY_LENGTH or not all(" " <= char <= "~" for char in key):
        raise BadRequest(400, {"error": "idempotency_key_invalid",
                               "message": "The Idempotency-Key must be 1 to 255 printable ASCII characters"})
    return key


def _validation_failed(errors: list[tuple[str, str]]) -> BadRequest:
    return BadRequest(422, {"error": "validation_failed",
                            "errors": [{"field": field, "message": message} for field, message in errors]})


def _apply_faults(state: MockState, service: Service) -> None:
    """Fail the call as the tester asked, before any key is claimed."""
    fault = state.faults.get(service.id)
    retry_after = {"Retry-After": str(fault.retry_after)}
    if fault.down:
        raise BadRequest(503, {"error": "service_unavailable"}, retry_after)
    if state.faults.roll(fault.timeout_rate):
        # Never answer in time: the client must give up on its own. The wait
        # ends early when the server stops, so shutting down never hangs, and
        # when the client has gone, so its worker is free again.
        hold(request.environ, state.stopping, state.hang_seconds)
        raise BadRequest(503, {"error": "service_unavailable"}, retry_after)
    if state.faults.roll(fault.error_rate):
        error = "too_many_requests" if fault.error_status == 429 else "service_unavailable"
        raise BadRequest(fault.error_status, {"error": error}, retry_after)


def notify(service: Service):
    state = current_state()
    generation = state.inbox.generation()  # before anything: a reset from here on voids this call
    data = read_body_bytes()
    require_json_content_type()
    grant = require_grant()
    require_scope(grant, service.id)
    _apply_faults(state, service)
    key = _idempotency_key()
    body = parse_json_object(data)

    outcome = state.keys.claim(service.id, grant.username, key, body)
    if isinstance(outcome, Replay):
        response = jsonify(outcome.body)
        response.status_code = outcome.status
        response.headers["Idempotent-Replayed"] = "true"
        return response
    if isinstance(outcome, Reused):
        raise BadRequest(422, {"error": "idempotency_key_reused",
                               "message": "This Idempotency-Key was used for a different notification"})
    if isinstance(outcome, InProgress):
        raise BadRequest(409, {"error": "request_in_progress",
                               "message": "A request with this Idempotency-Key is still being processed"})
    assert isinstance(outcome, Claimed)

    stored = False
    try:
        latency = state.faults.get(service.id).latency_ms
        if latency and state.stopping.wait(latency / 1000):
            raise BadRequest(503, {"error": "service_unavailable"}, {"Retry-After": "1"})
        rejected = state.faults.get(service.id).reject_with
        errors = [("person", rejected)] if rejected is not None else \
            notification_errors(service, body, register=state.registrations.get)
        if errors:
            raise _validation_failed(errors)
        death = normalise_registration(body["registration"]) if body.get("event") == "death" else None
        try:
            answer = state.inbox.store(service.id, grant.username, key, body, generation=generation,
                                       death_registration=death)
        except AlreadyReported as first:  # a death is recorded once; the key is not spent
            raise BadRequest(409, {"error": "already_reported", "reference": first.reference,
                                   "message": "This death has already been reported to this service"}) from None
        except ResetMeanwhile:
            raise BadRequest(503, {"error": "service_unavailable",
                                   "message": "The demo was reset while this was being sent"},
                             {"Retry-After": "1"}) from None
        stored = True
    finally:
        if not stored:  # validation, a stop or a crash: the key is not spent
            state.keys.release(service.id, grant.username, key)
    state.changes.bump()
    response = jsonify(answer)
    response.status_code = 201
    response.headers["Location"] = f"{request.path.rstrip('/')}/{answer['reference']}"
    return response


def read_record(service: Service, reference: str):
    grant = require_grant()
    require_scope(grant, service.id)
    record = current_state().inbox.get(service.id, reference, grant.username)
    if record is None:
        raise BadRequest(404, {"error": "not_found", "message": "No notification with that reference"})
    return jsonify(record)


def unknown_service(service: str, reference: str | None = None):
    raise BadRequest(404, {"error": "unknown_service", "message": "There is no service with that name"})


def register(app: Flask, services: list[Service]) -> None:
    """One pair of routes per catalogue entry, at the endpoint the catalogue names."""
    blueprint = Blueprint("notifications", __name__)
    for service in services:
        path = urllib.parse.urlsplit(service.endpoint).path.rstrip("/")
        blueprint.add_url_rule(path, f"notify_{service.id}", lambda s=service: notify(s), methods=["POST"])
        blueprint.add_url_rule(f"{path}/<reference>", f"read_{service.id}",
                               lambda reference, s=service: read_record(s, reference), methods=["GET"])
    # Anything shaped like an endpoint for a service not in the catalogue.
    blueprint.add_url_rule("/<service>/v1/notifications", "unknown_service", unknown_service,
                           methods=["GET", "POST"])
    blueprint.add_url_rule("/<service>/v1/notifications/<reference>", "unknown_service_record",
                           unknown_service, methods=["GET", "POST"])
    app.register_blueprint(blueprint)
