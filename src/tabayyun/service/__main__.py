"""``python -m tabayyun.service --db DIR [--host H] [--port P] [--token T]``: the same as ``tabayyun serve``."""
from __future__ import annotations

import argparse
import sys

from tabayyun.errors import TabayyunError
from tabayyun.service import TOKEN_ENV, serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tabayyun.service", description="serve the fact-checker's desk")
    parser.add_argument("--db", required=True, help="evidence base folder")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--token", help=f"write token (default: ${TOKEN_ENV}, else a random one, printed)")
    args = parser.parse_args(argv)
    try:
        serve(args.db, args.host, args.port, args.token)
    except TabayyunError as exc:
        print(f"tabayyun: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
