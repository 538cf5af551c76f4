"""GET /: the research facilitator's page. Plain HTML, CSS and JS from this package only."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from services.locale import LANGUAGES
from services.mock.facilitator_view import gettext_for, script_words, snapshot
from services.mock.state import current_state

blueprint = Blueprint("facilitator", __name__)

# Nothing from anywhere else: the page must work on a laptop with no network.
CSP = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


@blueprint.get("/")
def page():
    """The page in the facilitator's language: ``/?lang=cy`` (English by default)."""
    state = current_state()
    language, gettext = gettext_for(request.args.get("lang"))
    html = render_template("facilitator.html", snapshot=snapshot(state, gettext), version=state.changes.version,
                           _=gettext, language=language, languages=LANGUAGES, words=script_words(gettext))
    return html, 200, {"Content-Security-Policy": CSP, "Cache-Control": "no-store"}
