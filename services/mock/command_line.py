"""The mock's options, one set for ``python main.py mock-gov`` and ``python -m services.mock``.

Apart from server.py so that main.py can build its parser without loading Flask;
the environment is read here, as option defaults, and nowhere else in the mock.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

# Relative to the folder the mock is started from (`make mock`: the project's own data/, ignored by git).
DEFAULT_DATA = Path("data") / "mock-gov"
ADMIN_KEY_ENV = "MOCK_ADMIN_KEY"


def add_mock_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="where to listen (default: 127.0.0.1; 0.0.0.0 is the local network, over HTTPS)")
    parser.add_argument("--port", type=int, default=8700, help="the port (default: 8700; 0 picks a free one)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, metavar="DIR",
                        help=f"the mock's inboxes, tokens and certificate (default: {DEFAULT_DATA} "
                             "under the current folder)")
    parser.add_argument("--token-ttl", type=int, default=900, metavar="SECONDS",
                        help="how long an access token lasts (default: 900)")
    parser.add_argument("--admin-key", metavar="KEY", default=os.environ.get(ADMIN_KEY_ENV) or None,
                        help=f"the facilitator key for /admin and the page (default: ${ADMIN_KEY_ENV}, else random)")
    parser.add_argument("--tls", action=argparse.BooleanOptionalAction, default=None,
                        help="HTTPS with the mock's own certificate (default: on for any host but loopback)")


def run_mock(args: argparse.Namespace) -> None:
    """Serve until stopped, with the options ``add_mock_arguments`` parsed."""
    from services.mock.server import serve  # Flask: loaded only when the mock really starts

    serve(args.host, args.port, args.data, args.token_ttl, admin_key=args.admin_key, tls=args.tls)
