"""`status`: signed in, online, and every delivery, read as cheaply as the data folder allows.

Kept apart from portal/commands.py so that ``python main.py status`` imports
only this and portal/core.py: no sqlite-utils, keyring, cryptography, requests
or babel (bench/scale.py times it at 10,000 deliveries). Nothing here opens the
keyring or a sealed column: "signed in" is the data folder's marker
(``Portal.signed_in``).
"""

from __future__ import annotations

import json
import json.encoder
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from portal.core import Portal

EXIT_OK = 0


def iso_instant(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))  # as datetime's, at half the cost


def status_data(portal: Portal) -> dict[str, Any]:
    deliveries = [{
        "id": row["id"], "service": row["service"], "event": row["event"], "state": row["state"],
        "attempts": row["attempts"], "reference": row["reference"],
        "next_attempt_at": iso_instant(row["due_at"]) if row["state"] == "queued" else None,
        "last_error": row["last_error"], "created_at": row["created_at"], "delivered_at": row["delivered_at"],
    } for row in portal.store.delivery_summaries()]
    # The marker, not the keyring: status opens neither the keyring nor a sealed column.
    return {"signed_in": portal.signed_in, "online": portal.online, "deliveries": deliveries}


def _row_encoder() -> Callable[[dict[str, Any]], str]:
    """``json.dumps`` for one row, exactly, with json's C encoder made once instead of once a row.

    ``json.dumps`` builds a new C encoder on every call: 35 -> 20 ms for 10,000 rows here.
    Where the C encoder is missing, plain ``json.dumps``.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return json.dumps
    # The arguments json.JSONEncoder.iterencode passes for json.dumps' defaults (ensure_ascii, allow_nan).
    encode = make(None, None, json.encoder.encode_basestring_ascii, None, ": ", ", ", False, False, True)
    return lambda row: "".join(encode(row, 0))


encode_row = _row_encoder()


def status_json(data: dict[str, Any]) -> str:
    """`status --json`: the envelope indented, then one delivery per line.

    ``json.dumps(indent=2)`` runs json's pure-Python encoder, over half the
    command's own work at 10,000 deliveries (bench/scale.py); a line per
    delivery is json's C encoder, and stays readable and easy to grep.
    """
    lines = [f"  {json.dumps(key)}: {json.dumps(value)}," for key, value in data.items() if key != "deliveries"]
    rows = ",\n".join(f"    {encoded}" for encoded in map(encode_row, data["deliveries"]))
    lines.append(f'  "deliveries": [\n{rows}\n  ]' if rows else '  "deliveries": []')
    return "{\n" + "\n".join(lines) + "\n}"


def status(portal: Portal, as_json: bool, out: TextIO) -> int:
    data = status_data(portal)
    if as_json:
        print(status_json(data), file=out)
        return EXIT_OK
    print(f"Signed in: {'yes' if data['signed_in'] else 'no'}; "
          f"services {'answering' if data['online'] else 'not reached'}.", file=out)
    for row in data["deliveries"]:
        extra = row["reference"] or row["last_error"] or ""
        print(f"  {row['created_at']}  {row['service']:<8} {row['event']:<18} {row['state']:<16} {extra}",
              file=out)
    return EXIT_OK
