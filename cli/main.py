"""`imapcopier`: the command line. This module only wires subcommands together.

Each area registers its subcommands with an `add_*(subparsers)` function that sets `func` (parsed
args -> exit status). To add one, list its names in COMMANDS with "module:function". Only the
module of the command being run is imported, so `imapcopier copy` does not load the web app.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

CommandAdder = Callable[[argparse._SubParsersAction], None]  # type: ignore[type-arg]

COMMANDS: dict[str, str] = {
    "copy": "cli.copy:add_copy_commands",
    "compare": "cli.copy:add_copy_commands",
    "create-admin": "app.manage:add_admin_commands",
    "create-token": "app.manage:add_admin_commands",
    "create-user": "app.manage:add_admin_commands",
    "demo": "cli.demo:add_demo_command",
}
# Commands that run the engine: tenacity (its retries) imports tornado whenever it is installed
# (Flower needs it) to support tornado coroutines, some 0.1 s of start-up these never use.
# See docs/performance.md.
WITHOUT_TORNADO = {"copy", "compare"}


def _adder(target: str) -> CommandAdder:
    module, _, name = target.partition(":")
    adder: CommandAdder = getattr(importlib.import_module(module), name)
    return adder


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every command, or only the module that defines `command` when it is known."""
    parser = argparse.ArgumentParser(
        prog="imapcopier", description="Copy and sync mailboxes between IMAP servers."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    targets = [COMMANDS[command]] if command in COMMANDS else COMMANDS.values()
    for target in dict.fromkeys(targets):
        _adder(target)(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in WITHOUT_TORNADO:
        sys.modules.setdefault("tornado", None)  # type: ignore[arg-type] # an ImportError for tenacity
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
