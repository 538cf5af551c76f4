"""The tester's controls (CONTRACT section 5), and the feed the facilitator page polls.

No token: these calls are for the tester's machine and the projector, never
for a citizen. Faults are kept in memory; everything else is in SQLite.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from services.mock import scenarios
from services.mock.facilitator_view import demo_status, gettext_for, snapshot
from services.mock.faults import validate_changes
from services.mock.http_errors import BadRequest, parse_json_object, read_body_bytes
from services.mock.inbox import now_instant
from services.mock.registrations import (
    clear_seeded_deaths,
    registration_problems,
    seed_reported_deaths,
    seeded_deaths,
)
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
    state.faults.clear()
    generation = state.inbox.reset(include_tokens=include_tokens)
    state.changes.bump()
    return jsonify({"reset": True, "tokens_revoked": include_tokens, "generation": generation})


# -- the register of deaths (CONTRACT section 8)


@blueprint.post("/registrations")
def add_registration():
    """A new registration, with the body GET /v1/registrations/{reference} answers; 201 with its reference."""
    state = current_state()
    record, errors = registration_problems(parse_json_object(read_body_bytes()))
    if errors:
        raise BadRequest(422, {"error": "validation_failed",
                               "errors": [{"field": field, "message": message} for field, message in errors]})
    stored = state.registrations.add(record)
    if stored is None:
        raise BadRequest(409, {"error": "registration_exists",
                               "message": "A registration with this reference already exists"})
    state.changes.bump()
    return jsonify(stored), 201


# -- user research: scenarios, the demo generation, the research log


@blueprint.get("/demo")
def demo():
    return jsonify(demo_status(current_state()))


@blueprint.get("/scenario")
def get_scenario():
    state = current_state()
    name = scenarios.current(state.faults, state.catalogue.ids, seeded_deaths(state.database))
    return jsonify({**scenarios.describe(name), "scenarios": scenarios.listing()})


@blueprint.put("/scenario")
def put_scenario():
    """Every fault cleared, then the named scenario's switched on: {"name": "dvla_down"}."""
    state = current_state()
    body = parse_json_object(read_body_bytes())
    name = body.get("name")
    if set(body) != {"name"} or name not in scenarios.BY_NAME:
        raise BadRequest(400, {"error": "invalid_scenario", "errors": [{
            "field": "name", "message": "Choose one of " + ", ".join(scenarios.BY_NAME)}]})
    scenario = scenarios.BY_NAME[name]
    scenarios.apply(state.faults, scenario, state.catalogue.ids)
    clear_seeded_deaths(state.database)
    seed_reported_deaths(state, scenario.death_reported_to)
    state.changes.bump()
    return jsonify({**scenarios.describe(name), "scenarios": scenarios.listing()})


@blueprint.get("/research")
def get_research():
    state = current_state()
    return jsonify({"enabled": state.research.enabled, "events": state.research.count()})


@blueprint.put("/research")
def put_research():
    """{"enabled": true} turns the research log on; it is off at every start."""
    state = current_state()
    body = parse_json_object(read_body_bytes())
    if set(body) != {"enabled"} or not isinstance(body["enabled"], bool):
        raise BadRequest(400, {"error": "invalid_research", "errors": [{
            "field": "enabled", "message": "enabled must be true or false"}]})
    state.research.set_enabled(body["enabled"])
    state.changes.bump()
    return jsonify({"enabled": state.research.enabled, "events": state.research.count()})


@blueprint.post("/research/events")
def research_events():
    """Events from the app: kept only while the log is on, and only when every slot passes the allow-list.

    Off: 204 and nothing read further. On: 202 {"stored": n}; any event
    carrying something that is not a name, a known message or an identifier
    refuses the whole call (422, naming the slots, never quoting them).
    """
    state = current_state()
    if not state.research.enabled:
        return Response(status=204)
    body = parse_json_object(read_body_bytes())
    events = body.get("events")
    problems = state.research.check(events)
    if set(body) != {"events"}:
        problems.insert(0, {"index": None, "field": "body", "message": "Send {\"events\": [...]} and nothing else"})
    if problems:
        raise BadRequest(422, {"error": "research_event_refused", "errors": problems[:50]})
    stored = state.research.add(events, now_instant())
    state.changes.bump()
    return jsonify({"stored": stored}), 202


@blueprint.delete("/research/events")
def clear_research_events():
    state = current_state()
    state.research.clear()
    state.changes.bump()
    return jsonify({"enabled": state.research.enabled, "events": 0})


@blueprint.get("/research.csv")
def research_csv():
    state = current_state()
    stamp = now_instant().replace(":", "").replace("-", "")
    return Response(state.research.csv(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="research-log-{stamp}.csv"',
        "Cache-Control": "no-store"})


@blueprint.get("/changes")
def changes():
    """What the facilitator page polls: the current version, and a fresh snapshot when it moved."""
    state = current_state()
    version = state.changes.version
    since = request.args.get("since", "")
    if since == version:
        return jsonify({"version": version, "changed": False})
    _language, gettext = gettext_for(request.args.get("lang"))  # the page's own language, English by default
    return jsonify({"version": version, "changed": True, "snapshot": snapshot(state, gettext)})
