"""Finding an address (CONTRACT section 7): GET /v1/addresses?postcode=…, no sign-in.

The addresses are fictional (services/mock/addresses.json): a few doors at each of
some thirty postcodes across England, Wales, Scotland and Northern Ireland, every
persona's among them.
"""

from __future__ import annotations

import functools
import json
import pathlib

from flask import Blueprint, jsonify, request

from exchange.vocabulary import POSTCODE_RE, Message, normalise_postcode
from services.mock.http_errors import BadRequest

blueprint = Blueprint("addresses", __name__)
ADDRESSES = pathlib.Path(__file__).resolve().parent.parent / "addresses.json"
MAX_QUERY = 16  # longer than any postcode, even with spaces


@functools.cache
def known_addresses() -> dict[str, list[dict[str, str]]]:
    """Postcode -> its addresses in the contract's shape (line2 left out when empty)."""
    data = json.loads(ADDRESSES.read_text(encoding="utf-8"))["postcodes"]
    return {postcode: [{"line1": line1, **({"line2": line2} if line2 else {}), "town": town, "postcode": postcode}
                       for line1, line2, town in doors] for postcode, doors in data.items()}


@blueprint.get("/v1/addresses")
def addresses():
    raw = request.args.get("postcode", "")
    postcode = normalise_postcode(raw[:MAX_QUERY + 1])
    if not raw.strip():
        message = Message("Enter a full UK postcode")
    elif len(raw) > MAX_QUERY or not POSTCODE_RE.match(postcode):
        message = Message("Enter a real UK postcode, like SW1A 2AA")
    else:
        return jsonify({"postcode": postcode, "addresses": known_addresses().get(postcode, [])})
    raise BadRequest(422, {"error": "validation_failed", "errors": [{"field": "postcode", "message": message}]})
