"""`make bench`: build a large event, serve it with gunicorn, print `name: value` figures."""

from __future__ import annotations

import importlib
import sys
import traceback

from bench.harness import Bench

# Each module has run(b: Bench). Listed explicitly, in the order they print.
MODULES = ["events", "registration", "agenda", "booking", "calendar", "attendance", "documents", "i18n", "mail",
           "messages", "matching", "api"]


def main() -> int:
    bench = Bench()
    failed = []
    try:
        bench.setup()
        for name in MODULES:
            try:
                module = importlib.import_module(f"bench.{name}")
            except ModuleNotFoundError as exc:
                if exc.name == f"bench.{name}":
                    print(f"# bench.{name}: not present", flush=True)
                    continue
                raise
            try:
                module.run(bench)
            except Exception:
                failed.append(name)
                print(f"# bench.{name} FAILED:", file=sys.stderr)
                traceback.print_exc()
    finally:
        bench.close()
    for problem in bench.failures:
        print(f"# warning: {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
