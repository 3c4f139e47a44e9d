"""The ``dangjian`` command: validate and convert ledgers.

Exit codes: 0 when all went well, 2 when the input is bad (every problem is printed to standard
error), 1 for the checks of later commands that find failures.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dangjian import __version__
from dangjian.errors import DangjianError, Language, LedgerError
from dangjian.io import dump, load
from dangjian.ledger import Ledger

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dangjian",
        description="党建台账：校验、转换。Party-building ledgers: validate and convert.",
    )
    parser.add_argument("--version", action="version", version=f"dangjian {__version__}")
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of messages: zh (default) or en",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="校验台账并列出其内容 (validate a ledger and say what it holds)"
    )
    validate.add_argument("ledger", metavar="LEDGER", help="a .json, .yaml, .yml or .toml ledger")

    convert = commands.add_parser(
        "convert", help="在 JSON、YAML、TOML 之间转换台账 (convert between formats)"
    )
    convert.add_argument("source", metavar="IN", help="the ledger to read")
    convert.add_argument("target", metavar="OUT", help="the file to write; its suffix names the format")
    return parser


def _summary(ledger: Ledger, lang: Language) -> str:
    if lang == "zh":
        lines = [f"{ledger.name}：台账有效，共 {len(ledger)} 条记录"]
        lines += [f"  {kind.label}：{len(records)}" for kind, records in ledger.records() if records]
    else:
        lines = [f"{ledger.name}: the ledger is valid, {len(ledger)} records"]
        lines += [
            f"  {kind.field}: {len(records)}" for kind, records in ledger.records() if records
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    args = _parser().parse_args(argv)
    lang: Language = args.lang
    try:
        if args.command == "validate":
            ledger = load(args.ledger)
            print(_summary(ledger, lang))
        elif args.command == "convert":
            dump(load(args.source), args.target)
            print(f"{args.source} → {args.target}")
    except LedgerError as e:
        print(e.render(lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (DangjianError, OSError) as e:
        print(f"dangjian: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
