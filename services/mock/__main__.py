"""python -m services.mock [--host H] [--port P] [--data DIR] [--token-ttl SECONDS] [--admin-key KEY] [--tls]

The same as ``python main.py mock-gov``, for running the mock without the app.
"""

from __future__ import annotations

import argparse
import pathlib

from services.mock.server import serve


def add_trust_arguments(parser: argparse.ArgumentParser) -> None:
    """--admin-key and --tls, shared with ``python main.py mock-gov``."""
    parser.add_argument("--admin-key", metavar="KEY", default=None,
                        help="the facilitator key for /admin and the page (default: $MOCK_ADMIN_KEY, else random)")
    parser.add_argument("--tls", action=argparse.BooleanOptionalAction, default=None,
                        help="HTTPS with the mock's own certificate (default: on for any host but loopback)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.mock", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--data", type=pathlib.Path, default=pathlib.Path("data") / "mock-gov")
    parser.add_argument("--token-ttl", type=int, default=900, metavar="SECONDS")
    add_trust_arguments(parser)
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.data, args.token_ttl, admin_key=args.admin_key, tls=args.tls)


if __name__ == "__main__":
    main()
