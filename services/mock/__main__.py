"""python -m services.mock [--host H] [--port P] [--data DIR] [--token-ttl SECONDS]

The same as ``python main.py mock-gov``, for running the mock without the app.
"""

from __future__ import annotations

import argparse
import pathlib

from services.mock.server import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.mock", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--data", type=pathlib.Path, default=pathlib.Path("data") / "mock-gov")
    parser.add_argument("--token-ttl", type=int, default=900, metavar="SECONDS")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.data, args.token_ttl)


if __name__ == "__main__":
    main()
