"""``python -m jupyterlab_ml_debugger.bench NAME [--json] [benchmark flags]``."""

from __future__ import annotations

import argparse
import importlib
import json
import sys

# Each module exposes run(argv) -> dict; imported only when chosen.
BENCHMARKS = {
    "inspect": "jupyterlab_ml_debugger.bench.inspect",
    "device": "jupyterlab_ml_debugger.bench.device",
    "actions": "jupyterlab_ml_debugger.bench.actions",
    "structure": "jupyterlab_ml_debugger.bench.structure",
    "nanwatch": "jupyterlab_ml_debugger.bench.nanwatch",
    "live": "jupyterlab_ml_debugger.bench.live",
    "crash": "jupyterlab_ml_debugger.bench.crash",
}


def main(argv: list[str] | None = None) -> int:
    """Run one benchmark and print its result as JSON (one line with --json)."""
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_ml_debugger.bench")
    parser.add_argument("name", choices=sorted(BENCHMARKS))
    parser.add_argument("--json", action="store_true", help="print one JSON line, for tools")
    args, rest = parser.parse_known_args(argv)
    result = importlib.import_module(BENCHMARKS[args.name]).run(rest)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
