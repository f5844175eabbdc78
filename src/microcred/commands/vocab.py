"""``microcred vocab``: list the controlled vocabularies, or the terms of one."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from microcred.standard.vocab import NAMES, vocabulary


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("vocab", help="list controlled vocabularies and their codes")
    parser.add_argument("name", nargs="?", help=f"one of: {', '.join(NAMES)}")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.name is None:
        for name in NAMES:
            vocab = vocabulary(name)
            print(f"{name:<22} {len(vocab):>4} terms  {vocab.source}")
        return 0
    try:
        vocab = vocabulary(args.name)
    except KeyError:
        print(
            f"microcred vocab: no vocabulary {args.name!r}; known: {', '.join(NAMES)}",
            file=sys.stderr,
        )
        return 2
    if args.format == "json":
        rows = [{"code": t.code, "label": t.label, "uri": t.uri} for t in vocab]
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for term in vocab:
            print(f"{term.code:<24} {term.label}")
    return 0
