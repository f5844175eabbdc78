"""The ``microcred`` command: one entry point whose sub-commands each live in
:mod:`microcred.commands`, so later features add a module and one line here.

Exit statuses follow one rule across sub-commands: 0 success, 1 the input was read but fails
(a record with an error, a credential that does not verify), 2 the input or the command line
could not be used at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from importlib.metadata import EntryPoint, entry_points

from microcred import __version__
from microcred.commands import schema, validate, verify, vocab

#: Sub-command modules; each has ``register(subparsers)`` and sets ``func`` on its parser.
COMMANDS = (validate, verify, schema, vocab)
#: Entry-point group for sub-commands from other packages (the web layer adds ``import`` and
#: ``export``): each entry point names a module with ``register(subparsers)``. This keeps one
#: ``microcred`` command while the core never imports Django.
PLUGIN_GROUP = "microcred.commands"


def plugins() -> Iterable[EntryPoint]:
    return entry_points(group=PLUGIN_GROUP)


def _register_plugins(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Load each plugin; a broken one is reported and skipped so the core commands still work."""
    for entry in plugins():
        try:
            module = entry.load()
            module.register(subparsers)
        except Exception as exc:  # a plugin's own failure must not break `microcred validate`
            print(f"microcred: plugin {entry.name!r} not loaded: {exc}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="microcred",
        description="Micro-credentials the European way: check, issue and verify them.",
    )
    parser.add_argument("--version", action="version", version=f"microcred {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    _register_plugins(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        result: int = func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `microcred validate ... | head`
        return 0
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
