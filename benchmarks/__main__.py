"""``python -m benchmarks [--quick] [--only a,b]``: run the speed benchmarks, print one JSON object."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from .common import FULL, QUICK, quiet_logs
from .runner import SECTIONS, environment, run_all, timed

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the sections, print the report (progress goes to stderr)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes and fewer repeats (about 2 minutes)")
    parser.add_argument("--only", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--no-baseline", action="store_true", help="skip the sentence-transformers baseline")
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/article-bot"),
                        help="where the ONNX export is kept (default: the bot's CACHE_DIR default)")
    parser.add_argument("--output", type=Path, help="also write the JSON report to this file")
    args = parser.parse_args(argv)
    sections = tuple(s.strip() for s in args.only.split(",")) if args.only else SECTIONS
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    quiet_logs()
    plan = QUICK if args.quick else FULL

    def progress(message: str) -> None:
        print(f"benchmarks: {message} ...", file=sys.stderr, flush=True)

    report, seconds = timed(lambda: run_all(
        plan, args.cache_dir, sections, with_baseline=not args.no_baseline, progress=progress
    ))
    report = {"environment": environment("quick" if args.quick else "full") | {"total_s": round(seconds, 1)},
              **report}
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
