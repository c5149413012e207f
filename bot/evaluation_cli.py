"""``article-bot eval``: placeholder wiring, filled by the evaluation module."""

from __future__ import annotations

import argparse

from .config import Settings


def add_eval_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``article-bot eval squad|summaries``."""
    evaluation = commands.add_parser("eval", help="measure answer and summary quality")
    kinds = evaluation.add_subparsers(dest="eval_kind", required=True)
    for name, helptext in (
        ("squad", "retrieval, excerpts and abstention on SQuAD-format JSON"),
        ("summaries", "ROUGE of summaries vs Lead-3 on JSONL with article and highlights"),
    ):
        kind = kinds.add_parser(name, help=helptext)
        kind.add_argument("path")
        kind.add_argument("--limit", type=int, help="only the first N articles")
        kind.add_argument("--dump", help="write one JSON line per item to this file")
        kind.add_argument("--json", action="store_true", help="print the report as JSON")


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Run the chosen evaluation."""
    raise NotImplementedError("evaluation lands with the evaluation issue")
