"""`imapcopier`: the command line. This module only wires subcommands together.

Each area registers its own subcommands with an `add_*_command(s)(subparsers)` function that sets
`func` (taking the parsed args, returning the exit status). To add one, append it to COMMANDS.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from app.manage import add_admin_commands
from workers.cli_copy import add_copy_commands
from workers.demo import add_demo_command

CommandAdder = Callable[[argparse._SubParsersAction], None]  # type: ignore[type-arg]

COMMANDS: list[CommandAdder] = [
    add_copy_commands,  # copy, compare
    add_admin_commands,  # create-admin, create-token
    add_demo_command,  # demo
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imapcopier", description="Copy and sync mailboxes between IMAP servers."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
