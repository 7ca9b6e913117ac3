"""`imapcopier copy` and `imapcopier compare`: the engine for scripts and one-off copies.

Exit status: 0 success (copy: no errors; compare: nothing missing or duplicated); 1 copy finished
with errors / compare found missing or duplicated messages; 2 usage or configuration error;
3 the account failed (connection, TLS, login, connection lost for good); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from dataclasses import replace
from types import FrameType
from typing import Any

from cli import oauth
from cli.endpoints import (
    ServerUrl,
    Side,
    UsageError,
    close_state,
    endpoint,
    open_state,
    parse_url,
    read_password,
)
from cli.output import ProgressLine, print_comparison, print_plan, print_result
from workers.engine.copier import compare_mailbox, copy_mailbox, plan_mailbox
from workers.engine.errors import CopyError
from workers.engine.guard import ReadLimits
from workers.engine.imap import ImapEndpoint
from workers.engine.options import CopyOptions

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--src", required=True, metavar="URL", help="imaps://USER@HOST:PORT, imap://, imap+plain://"
    )
    parser.add_argument("--dst", required=True, metavar="URL", help="same forms as --src")
    parser.add_argument("--include", action="append", default=[], metavar="REGEX", help="only these folders")
    parser.add_argument("--exclude", action="append", default=[], metavar="REGEX", help="skip these folders")
    parser.add_argument(
        "--map", action="append", default=[], metavar="SRC=DST", help="explicit folder mapping"
    )
    parser.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    parser.add_argument("--ca-file", metavar="PATH", help="CA bundle to verify the servers (private CA)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="socket timeout in seconds, and each command's time allowance before --min-rate (default 60)",
    )
    defaults = ReadLimits()
    parser.add_argument(
        "--max-message-size",
        type=int,
        default=defaults.max_message_bytes,
        metavar="BYTES",
        help=f"messages bigger than this are refused unread (default {defaults.max_message_bytes})",
    )
    parser.add_argument(
        "--min-rate",
        type=int,
        default=defaults.min_bytes_per_second,
        metavar="BYTES_PER_S",
        help=f"slowest transfer a command may take (default {defaults.min_bytes_per_second})",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the summary")
    parser.add_argument("-v", "--verbose", action="store_true", help="log the engine's steps on stderr")
    oauth.add_oauth_args(parser)


def add_copy_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    copy = sub.add_parser("copy", help="copy (or sync again) one mailbox between two IMAP servers")
    _common(copy)
    copy.add_argument("--dry-run", action="store_true", help="show the folder plan, write nothing")
    copy.add_argument(
        "--state-file", metavar="PATH", help="sync state file (default: DB if set, else per pair)"
    )
    copy.set_defaults(func=run_copy)
    compare = sub.add_parser("compare", help="check that every message is on the destination exactly once")
    _common(compare)
    compare.add_argument(
        "--deep",
        action="store_true",
        help="also hash every message on both sides to find those the destination stored altered (slow)",
    )
    compare.set_defaults(func=run_compare)


def _options(args: argparse.Namespace) -> CopyOptions:
    mapping: dict[str, str] = {}
    for item in args.map:
        source, eq, target = item.partition("=")
        if not eq or not source or not target:
            raise UsageError(f"--map wants SRC=DST, got {item!r}")
        mapping[source] = target
    return CopyOptions(
        folder_mapping=mapping,
        include=tuple(args.include),
        exclude=tuple(args.exclude),
        gmail_source=getattr(args, "src_provider", None) == "gmail",  # docs/providers.md
    )


def _side(args: argparse.Namespace, side: Side, url: ServerUrl, limits: ReadLimits) -> ImapEndpoint:
    """A password login, or OAuth2 when a token or grant is given for this side (cli/oauth.py)."""
    try:
        provider = oauth.token_provider(args, side, url.username)
    except oauth.OAuthUsageError as exc:
        raise UsageError(str(exc)) from None
    password = "" if provider else read_password(side, url)
    plain = endpoint(url, password, args.insecure, args.ca_file, args.timeout, limits)
    if provider is None:
        return plain
    return replace(plain, token_provider=provider, sasl_mechanism=oauth.sasl_mechanism(args, side))


def _endpoints(args: argparse.Namespace) -> tuple[ServerUrl, ServerUrl, ImapEndpoint, ImapEndpoint]:
    src_url, dst_url = parse_url(args.src), parse_url(args.dst)
    if args.max_message_size < 1 or args.min_rate < 1:
        raise UsageError("--max-message-size and --min-rate must be positive")
    limits = ReadLimits(max_message_bytes=args.max_message_size, min_bytes_per_second=args.min_rate)
    return src_url, dst_url, _side(args, "src", src_url, limits), _side(args, "dst", dst_url, limits)


def _emit_json(data: dict[str, Any]) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        stream=sys.stderr,
        format="%(levelname)s %(message)s",
    )


class _StopOnSignal:
    """First Ctrl-C / SIGTERM: finish and checkpoint the current batch, then stop. Second: abort."""

    def __init__(self) -> None:
        self.requested = False
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print("\nstopping after the current batch (again to abort)", file=sys.stderr)

    def __call__(self) -> bool:
        return self.requested


def run_copy(args: argparse.Namespace) -> int:
    _setup_logging(args.verbose)
    try:
        options = _options(args)
        src_url, dst_url, src, dst = _endpoints(args)
        state, where = open_state(src_url, dst_url, args.state_file)
    except UsageError as exc:
        print(f"imapcopier: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CopyError as exc:
        print(f"imapcopier: error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.dry_run:
            return _dry_run(src, dst, options, state, args.json)
        progress = ProgressLine()
        try:
            result = copy_mailbox(src, dst, options, state, on_event=progress, should_stop=_StopOnSignal())
        except KeyboardInterrupt:
            print("\nimapcopier: aborted; the next run resumes from the last checkpoint", file=sys.stderr)
            return EXIT_INTERRUPTED
        except Exception as exc:  # a failed account, whatever broke: exit 3, never 1 ("message errors")
            logging.getLogger(__name__).debug("copy.unexpected", exc_info=True)
            return _failed(CopyError(f"{exc.__class__.__name__}: {exc}"), args.json)
        finally:
            progress.finish()
    finally:
        close_state(state)
    if args.json:
        _emit_json({**result.model_dump(mode="json"), "state": where})
    else:
        print_result(result)
    return {"ok": EXIT_OK, "partial": EXIT_ERRORS, "failed": EXIT_FAILED}.get(result.status, EXIT_INTERRUPTED)


def _dry_run(src: ImapEndpoint, dst: ImapEndpoint, options: CopyOptions, state: Any, as_json: bool) -> int:
    try:
        plan = plan_mailbox(src, dst, options, state)
    except CopyError as exc:
        return _failed(exc, as_json)
    if as_json:
        _emit_json(plan.model_dump(mode="json"))
    else:
        print_plan(plan)
    return EXIT_OK


def _failed(exc: CopyError, as_json: bool) -> int:
    if as_json:
        _emit_json({"status": "failed", "error_code": exc.code, "message": exc.message})
    print(f"imapcopier: {exc.code}: {exc.message}", file=sys.stderr)
    return EXIT_FAILED


def run_compare(args: argparse.Namespace) -> int:
    _setup_logging(args.verbose)
    try:
        options = _options(args)
        _, _, src, dst = _endpoints(args)
    except UsageError as exc:
        print(f"imapcopier: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        comparison = compare_mailbox(src, dst, options, deep=args.deep)
    except CopyError as exc:
        return _failed(exc, args.json)
    if args.json:
        _emit_json(comparison.model_dump(mode="json"))
    else:
        print_comparison(comparison)
    return EXIT_OK if comparison.complete else EXIT_ERRORS
