"""`imapcopier demo`: starts the test bed's demo servers and a ready demo task.

The test bed is not part of the installed package: it lives beside the code in a checkout. This
command imports it from there and says so plainly when the product was installed without one.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from app.config import REPO_ROOT


def run_demo(args: argparse.Namespace) -> int:
    if not (REPO_ROOT / "testbed" / "demo.py").exists():
        print(
            "imapcopier demo: the demo needs the test bed, which ships only with a source checkout "
            "(the testbed/ folder beside app/); clone the repository and run `make run` there.",
            file=sys.stderr,
        )
        return 2
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    demo = importlib.import_module("testbed.demo")
    status: int = demo.run_demo(args)
    return status


def add_demo_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("demo", help="start two demo IMAP servers and create a ready demo task")
    parser.set_defaults(func=run_demo)
