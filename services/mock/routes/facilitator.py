"""GET /: the research facilitator's page. Plain HTML, CSS and JS from this package only."""

from __future__ import annotations

from flask import Blueprint, render_template

from services.mock.facilitator_view import snapshot
from services.mock.state import current_state

blueprint = Blueprint("facilitator", __name__)

# Nothing from anywhere else: the page must work on a laptop with no network.
CSP = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


@blueprint.get("/")
def page():
    state = current_state()
    html = render_template("facilitator.html", snapshot=snapshot(state), version=state.changes.version)
    return html, 200, {"Content-Security-Policy": CSP, "Cache-Control": "no-store"}
