"""The ``dangjian`` command: validate, convert and check ledgers; list and explain rules.

Exit codes: 0 when all went well, 1 when ``check`` finds a failure at or above ``--fail-on``,
2 when the input is bad (every problem is printed to standard error).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from dangjian import __version__
from dangjian._escape import json_text, terminal_text
from dangjian._files import refuse_existing, refuse_same, write_text
from dangjian.errors import DangjianError, Language, Problem, ProblemsError
from dangjian.findings import Severity
from dangjian.i18n import available_languages, t, tp
from dangjian.io import dump, load
from dangjian.ledger import Ledger
from dangjian.rules import PROFILES, check, load_rules, load_waivers
from dangjian.rules.docs import explain, rules_table

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dangjian",
        description="党建台账：校验、转换。Party-building ledgers: validate and convert.",
    )
    parser.add_argument("--version", action="version", version=f"dangjian {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    languages = available_languages()  # a catalog dropped in through DANGJIAN_LOCALEDIR too
    common.add_argument(
        "--lang",
        choices=languages,
        default=argparse.SUPPRESS,
        help="language of messages: zh (default) or en",
    )
    parser.add_argument("--lang", choices=languages, default="zh", help=argparse.SUPPRESS)
    # what reading a ledger takes: the limits of an Excel workbook
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--excel-limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="raise a limit of reading an .xlsx ledger, e.g. max_cells=500000 (repeatable); "
        "names: " + ", ".join(_limit_names()),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        parents=[common, reading],
        help="校验台账并列出其内容 (validate a ledger and say what it holds)",
    )
    validate.add_argument(
        "ledger", metavar="LEDGER", help="a .json, .yaml, .yml, .toml or .xlsx ledger"
    )

    convert = commands.add_parser(
        "convert",
        parents=[common, reading],
        help="在 JSON、YAML、TOML、Excel 之间转换台账 (convert between formats)",
    )
    convert.add_argument("source", metavar="IN", help="the ledger to read")
    convert.add_argument(
        "target", metavar="OUT", help="the file to write; its suffix names the format"
    )
    convert.add_argument("--force", action="store_true", help="overwrite OUT if it exists")

    # what a check needs, shared by ``check`` and ``summary`` (which lists the check's failures)
    checking = argparse.ArgumentParser(add_help=False, parents=[reading])
    checking.add_argument(
        "--period", required=True, help="2020H1, 2020Q2, 2020-05, 2020 or 2020-W14"
    )
    checking.add_argument(
        "--as-of", type=dt.date.fromisoformat, help="the day of judging (default: today)"
    )
    checking.add_argument(
        "--profile",
        default="national",
        help=f"{', '.join(PROFILES)} or a rule file (default: national)",
    )
    checking.add_argument(
        "--rules", action="append", default=[], metavar="FILE", help="more rule files on top"
    )
    checking.add_argument("--waivers", metavar="FILE", help="a file of waivers")
    checking.add_argument(
        "--allow-unmatched",
        action="store_true",
        help="a waiver or rule entry that matches nothing is a warning (on stderr), not an error",
    )

    chk = commands.add_parser(
        "check",
        parents=[common, checking],
        help="按规则检查台账 (check a ledger against the rules)",
    )
    chk.add_argument("ledger", metavar="LEDGER", help="the ledger to check")
    chk.add_argument(
        "--format", choices=("text", "json", "markdown", "csv", "junit"), default="text"
    )
    chk.add_argument(
        "--fail-on",
        choices=tuple(s.code for s in Severity),
        default="error",
        help="exit 1 when a rule of this severity or above failed (default: error)",
    )
    chk.add_argument(
        "--fail-on-unknown",
        action="store_true",
        help="also exit 1 when the records cannot tell (无法判断) for a rule of that severity",
    )
    chk.add_argument(
        "--output", metavar="FILE", help="write the report here instead of printing it"
    )
    chk.add_argument(
        "--force", action="store_true", help="overwrite the --output file if it exists"
    )
    chk.add_argument(
        "--failed-only",
        action="store_true",
        help="show failed, cannot-tell (无法判断) and waived findings only",
    )

    rules = commands.add_parser(
        "rules", parents=[common], help="列出规则及其依据 (list the rules and their sources)"
    )
    rules.add_argument("--profile", default="national")
    rules.add_argument("--rules", action="append", default=[], metavar="FILE")
    rules.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    exp = commands.add_parser("explain", parents=[common], help="说明一条规则 (explain one rule)")
    exp.add_argument("rule", metavar="RULE_ID")
    exp.add_argument("--profile", default="organ")
    exp.add_argument("--rules", action="append", default=[], metavar="FILE")

    summ = commands.add_parser(
        "summary",
        parents=[common, checking],
        help="生成工作总结初稿 (draft a work summary from the ledger, with the check's failures)",
    )
    summ.add_argument("ledger", metavar="LEDGER", help="the ledger to summarise")
    summ.add_argument("--format", choices=("markdown", "docx", "json"), default="markdown")
    summ.add_argument("--output", metavar="FILE", help="write the draft here (required for docx)")
    summ.add_argument(
        "--force", action="store_true", help="overwrite the --output file if it exists"
    )

    tpl = commands.add_parser(
        "template",
        parents=[common],
        help="生成空白的 Excel 台账模板 (write an empty Excel ledger workbook to fill in)",
    )
    tpl.add_argument("target", metavar="OUT", help="the .xlsx file to write")
    tpl.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    return parser


def _limit_names() -> tuple[str, ...]:
    from dangjian.io.excel import LIMIT_NAMES

    return LIMIT_NAMES


def _load(path: str, args: argparse.Namespace) -> Ledger:
    """The ledger at ``path``, an Excel workbook read within the ``--excel-limit`` given."""
    if not args.excel_limit:
        return load(path)
    from dangjian.io.excel import parse_limits

    return load(path, limits=parse_limits(args.excel_limit))


def _template(args: argparse.Namespace, lang: Language) -> int:
    from dangjian.io.excel import write_template

    target = Path(args.target)
    if target.suffix.lower() != ".xlsx":
        raise DangjianError(
            f"{target}：模板是 Excel 工作簿，文件名应以 .xlsx 结尾 "
            "(the template is an Excel workbook: name it *.xlsx)"
        )
    if target.exists() and not args.force:
        raise DangjianError(
            f"{target}：文件已存在，加 --force 覆盖 (the file exists; use --force to overwrite it)"
        )
    write_template(target, overwrite=args.force)
    print(terminal_text(t("{target}：已生成台账模板", target=str(target)).render(lang)))
    return EXIT_OK


def _inputs(args: argparse.Namespace) -> list[str]:
    """The files a checking command reads: the ledger, rule files, waivers."""
    return [args.ledger, args.profile, *args.rules, *([args.waivers] if args.waivers else [])]


def _extended(args: argparse.Namespace) -> list[str]:
    """The rule files a check read, the ones that the given files extend included."""
    sources = load_rules(args.profile, args.rules).sources
    return [s for s in sources if not s.startswith("dangjian:")]


def _may_write(output: str, inputs: Sequence[str], force: bool) -> None:
    """Refuse, before any work, an output that is an input, or that exists without --force."""
    refuse_same(output, inputs)
    if not force:
        refuse_existing(output)


def _check(args: argparse.Namespace, lang: Language) -> int:
    if args.output:
        _may_write(args.output, _inputs(args), args.force)
    ledger = _load(args.ledger, args)
    waivers = load_waivers(args.waivers) if args.waivers else ()
    report = check(
        ledger,
        args.period,
        as_of=args.as_of,
        profile=args.profile,
        rules=args.rules,
        waivers=waivers,
        allow_unmatched=args.allow_unmatched,
    )
    _print_notices(report.notices, lang)
    code = report.exit_code(args.fail_on, unknown=args.fail_on_unknown)
    if args.failed_only:
        report = report.filter(status=("failed", "unknown", "waived"))
    text = report.render(args.format, lang)
    if args.output:
        refuse_same(args.output, _extended(args))  # a file that a rule file extends, too
        write_text(args.output, text, overwrite=args.force)
        print(terminal_text(report.summary_line(lang)))
    else:
        sys.stdout.write(text)
    return EXIT_FAILED if code else EXIT_OK


def _print_notices(notices: Sequence[Problem], lang: Language) -> None:
    """The entries that matched nothing, checked with ``--allow-unmatched``: still said; and
    the waivers not applied because their findings cannot be told."""
    head = t("警告：未匹配任何内容").render(lang)
    idle = t("提示：豁免未适用").render(lang)
    for p in notices:
        shown = idle if p.code == "waiver_on_unknown" else head
        print(f"dangjian: {shown}: {p.render(lang)}", file=sys.stderr)


def _rules(args: argparse.Namespace, lang: Language) -> int:
    ruleset = load_rules(args.profile, args.rules)
    if args.format == "json":
        data = [
            {
                "id": r.id,
                "kind": r.kind,
                "severity": r.severity.code,
                "force": r.force.label if r.force else None,
                "title": r.title,
                "title_en": r.title_en,
                "confidence": r.confidence.code,
                "citations": [c.render(lang) for c in r.citations],
                "source": r.source,
            }
            for r in ruleset
        ]
        print(json_text(json.dumps(data, ensure_ascii=False, indent=2)))
    else:
        print(terminal_text(rules_table(ruleset, args.format, lang)), end="")
    return EXIT_OK


def _explain(args: argparse.Namespace, lang: Language) -> int:
    ruleset = load_rules(args.profile, args.rules)
    try:
        rule = ruleset.get(args.rule)
    except KeyError as e:
        print(terminal_text(f"dangjian: {e.args[0]}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(terminal_text(explain(rule, lang)), end="")
    return EXIT_OK


def _work_summary(args: argparse.Namespace, lang: Language) -> int:
    from dangjian.summary import summarize

    if args.format == "docx" and not args.output:
        print(t("dangjian: Word 格式需要 --output 指定文件").render(lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.output:
        _may_write(args.output, _inputs(args), args.force)
    ledger = _load(args.ledger, args)
    waivers = load_waivers(args.waivers) if args.waivers else ()
    report = check(
        ledger,
        args.period,
        as_of=args.as_of,
        profile=args.profile,
        rules=args.rules,
        waivers=waivers,
        allow_unmatched=args.allow_unmatched,
    )
    _print_notices(report.notices, lang)
    summary = summarize(ledger, report.period, report=report)
    if args.output:
        refuse_same(args.output, _extended(args))  # a file that a rule file extends, too
    if args.format == "docx":
        summary.to_docx(args.output, overwrite=args.force)
    else:
        text = summary.to_markdown() if args.format == "markdown" else summary.to_json()
        if not args.output:
            sys.stdout.write(text)
            return EXIT_OK
        write_text(args.output, text, overwrite=args.force)
    line = t("{file}：{text}", file=args.output, text=report.summary_line(lang))
    print(terminal_text(line.render(lang)))
    return EXIT_OK


def _summary(ledger: Ledger, lang: Language) -> str:
    name = ledger.name.replace("\n", "\\n")  # one line: a name cannot show counts of its own
    lines = [t("{name}：台账有效，共 {count} 条记录", name=name, count=len(ledger)).render(lang)]
    lines += [
        "  "
        + tp(
            "records of a kind",
            "{label}：{count}",
            label=kind.label,
            field=kind.field,
            count=len(records),
        ).render(lang)
        for kind, records in ledger.records()
        if records
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    args = _parser().parse_args(argv)
    lang: Language = args.lang
    try:
        if args.command == "validate":
            ledger = _load(args.ledger, args)
            print(terminal_text(_summary(ledger, lang)))
        elif args.command == "convert":
            _may_write(args.target, [args.source], args.force)
            dump(_load(args.source, args), args.target, overwrite=args.force)
            print(terminal_text(f"{args.source} → {args.target}"))
        elif args.command == "check":
            return _check(args, lang)
        elif args.command == "rules":
            return _rules(args, lang)
        elif args.command == "explain":
            return _explain(args, lang)
        elif args.command == "summary":
            return _work_summary(args, lang)
        elif args.command == "template":
            return _template(args, lang)
    except ProblemsError as e:
        print(terminal_text(e.render(lang)), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (``dangjian check … | head``): not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except (DangjianError, OSError) as e:
        print(terminal_text(f"dangjian: {e}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
