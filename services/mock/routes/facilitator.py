"""GET /: the research facilitator's page. Plain HTML, CSS and JS from this package only.

Only with the facilitator key (``/?key=KEY``): without it, a form asking for
the key and nothing else, no inbox and no person's data. The page's script
keeps the key in sessionStorage, takes it out of the address bar, and sends
it as ``Authorization: Bearer`` on every /admin call.
"""

from __future__ import annotations

import urllib.parse

from flask import Blueprint, current_app, render_template, request

from exchange.locale import LANGUAGES
from services.mock.certificate import qr_svg, reachable_addresses
from services.mock.facilitator_key import key_matches
from services.mock.facilitator_view import gettext_for, script_words, snapshot
from services.mock.state import current_state

blueprint = Blueprint("facilitator", __name__)

# Nothing from anywhere else: the page must work on a laptop with no network.
CSP = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
HEADERS = {"Content-Security-Policy": CSP, "Cache-Control": "no-store",
           # The address holds the key for a moment: never send it on as a Referer.
           "Referrer-Policy": "no-referrer"}


def _connect(gettext) -> dict:
    """How a phone or laptop reaches and trusts this mock: addresses, the key, the certificate's fingerprint."""
    certificate = current_app.config.get("MOCK_CERTIFICATE")
    try:
        port = urllib.parse.urlsplit("//" + request.host).port
    except ValueError:
        port = None
    scheme = "https" if certificate is not None else "http"
    addresses = [f"{scheme}://{f'[{ip}]' if ':' in ip else ip}{f':{port}' if port else ''}"
                 for ip in reachable_addresses()]
    info = {"addresses": addresses or [request.host_url.rstrip("/")], "key": current_app.config["MOCK_ADMIN_KEY"],
            "fingerprint": None, "qr": None}
    if certificate is not None:
        info["fingerprint"] = certificate.fingerprint
        info["qr"] = qr_svg(certificate.fingerprint, gettext("The certificate's SHA-256 fingerprint"))
    return info


@blueprint.get("/")
def page():
    """The page in the facilitator's language: ``/?key=KEY&lang=cy`` (English by default)."""
    language, gettext = gettext_for(request.args.get("lang"))
    given = request.args.get("key")
    if not key_matches(given, current_app.config["MOCK_ADMIN_KEY"]):
        html = render_template("facilitator_key.html", _=gettext, language=language, wrong=given is not None)
        return html, 401 if given is not None else 200, HEADERS
    state = current_state()
    html = render_template("facilitator.html", snapshot=snapshot(state, gettext), version=state.changes.version,
                           _=gettext, language=language, languages=LANGUAGES, words=script_words(gettext),
                           connect=_connect(gettext))
    return html, 200, HEADERS
