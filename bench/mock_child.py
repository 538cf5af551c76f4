"""The mock government endpoints in a child process, for the benchmarks.

    python -m bench.mock_child --catalogue FILE --data DIR

Prints its URL on the first line, serves until its standard input closes, then
prints its own peak RSS ("peak_rss_kib N") and stops. A separate process, as in
real use: the portal's figures are then the portal's alone, and the mock does
not compete with the courier for one interpreter's GIL.
"""

from __future__ import annotations

import argparse
import logging
import os
import pathlib
import sys

from services.mock.server import MockServer


def peak_rss_kib() -> int:
    """This process's high-water resident set (VmHWM), in KiB."""
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.mock_child")
    parser.add_argument("--catalogue", type=pathlib.Path, default=None)
    parser.add_argument("--data", type=pathlib.Path, required=True)
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)  # no line per request
    server = MockServer(host="127.0.0.1", port=0, data_dir=args.data, catalogue_path=args.catalogue,
                        admin_key=os.environ.get("MOCK_ADMIN_KEY")).start()
    print(server.url, flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin (or dies)
    finally:
        server.stop()
        print(f"peak_rss_kib {peak_rss_kib()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
