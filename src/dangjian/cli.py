"""The ``dangjian`` command: load, validate and convert ledgers, check them against the rules,
draft work summaries, export them as tables; list and explain rules; write out the example.

Exit codes: 0 when all went well, 1 when ``check`` finds a failure at or above ``--fail-on``,
2 when the input is bad (every problem is printed to standard error).

The language of messages, reports and the help is the one of ``--lang``, else the one the
environment variable ``DANGJIAN_LANG`` names, else Chinese; any catalog found is a language.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import json
import os
import shlex
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from dangjian import __version__
from dangjian._escape import json_text, terminal_text
from dangjian._files import refuse_existing, refuse_same, write_bytes, write_text
from dangjian.errors import DangjianError, Language, Problem, ProblemsError
from dangjian.findings import Severity
from dangjian.i18n import (
    ENV_LOCALEDIR,
    SOURCE_LANGUAGE,
    Message,
    available_languages,
    t,
    tp,
)
from dangjian.io import dump, format_of, load
from dangjian.ledger import Ledger
from dangjian.outputs import format_names, get_format
from dangjian.periods import PeriodError, parse_date
from dangjian.rules import PROFILES, check, load_rules, load_waivers
from dangjian.rules.docs import explain, rules_table
from dangjian.scoring import FORMATS as SCORECARD_FORMATS

__all__ = ["ENV_LANG", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


ENV_LANG = "DANGJIAN_LANG"
"""The environment variable naming the language of the command line when ``--lang`` is not
given (help and messages); Chinese when it is not set either."""


def _requested_language(argv: Sequence[str]) -> Language:
    """The language ``argv`` asks for (its last ``--lang X`` or ``--lang=X`` before ``--``),
    else the one of ``DANGJIAN_LANG``, else Chinese: the help is written before argparse reads
    ``--lang``. A language with no catalog gives Chinese here (argparse then refuses it)."""
    lang = os.environ.get(ENV_LANG) or SOURCE_LANGUAGE
    words = list(argv)
    if "--" in words:
        words = words[: words.index("--")]
    for i, word in enumerate(words):
        if word == "--lang" and i + 1 < len(words):
            lang = words[i + 1]
        elif word.startswith("--lang="):
            lang = word.removeprefix("--lang=")
    return lang if lang in available_languages() else SOURCE_LANGUAGE


def _argparse_texts(lang: Language) -> dict[str, str]:
    """argparse's own headings (its gettext messages) in ``lang``."""
    return {
        "usage: ": tp("argparse", "用法：").render(lang),
        "positional arguments": tp("argparse", "位置参数").render(lang),
        "options": tp("argparse", "选项").render(lang),
        "show this help message and exit": tp("argparse", "显示本帮助并退出").render(lang),
        "%(prog)s: error: %(message)s\n": tp("argparse", "%(prog)s：错误：%(message)s\n").render(
            lang
        ),
        "argument %(argument_name)s: %(message)s": tp(
            "argparse", "参数 %(argument_name)s：%(message)s"
        ).render(lang),
        "unrecognized arguments: %s": tp("argparse", "无法识别的参数：%s").render(lang),
        "the following arguments are required: %s": tp("argparse", "缺少必需的参数：%s").render(
            lang
        ),
        "expected one argument": tp("argparse", "需要一个值").render(lang),
        "expected at most one argument": tp("argparse", "至多需要一个值").render(lang),
        "expected at least one argument": tp("argparse", "至少需要一个值").render(lang),
        "ambiguous option: %(option)s could match %(matches)s": tp(
            "argparse", "选项 %(option)s 有歧义，可能是：%(matches)s"
        ).render(lang),
        "invalid %(type)s value: %(value)r": tp("argparse", "无效的 %(type)s 值：%(value)r").render(
            lang
        ),
        "not allowed with argument %s": tp("argparse", "不能与参数 %s 同用").render(lang),
        "ignored explicit argument %r": tp("argparse", "此选项不接受值：%r").render(lang),
        "one of the arguments %s is required": tp("argparse", "须给出参数 %s 之一").render(lang),
        "unexpected option string: %s": tp("argparse", "意外的选项：%s").render(lang),
    }


def _suggestion(value: str, valid: Sequence[str], lang: Language, more: str = "") -> str:
    """The refusal of ``value`` for not being one of ``valid``: it lists them (then ``more``),
    and names the closest when one is close enough (:func:`difflib.get_close_matches`)."""
    known = ", ".join(valid) + more
    close = difflib.get_close_matches(value, valid, n=1)
    if close:
        hint = t(
            "{value} 不可用；可用的有：{known}；是否想用 {close}？",
            value=value,
            known=known,
            close=close[0],
        )
    else:
        hint = t("{value} 不可用；可用的有：{known}", value=value, known=known)
    return hint.render(lang)


class _Parser(argparse.ArgumentParser):
    """argparse's parser whose refusal of a value outside the choices (a command, a format)
    lists the choices and suggests the closest, in the language of :func:`_argparse_in`."""

    def _check_value(self, action: argparse.Action, value: object) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        valid = [str(c) for c in choices]
        raise argparse.ArgumentError(action, _suggestion(str(value), valid, _LANGUAGE[-1]))


_LANGUAGE: list[Language] = [SOURCE_LANGUAGE]
"""The language argparse speaks in now (its last item), set by :func:`_argparse_in`."""


@contextlib.contextmanager
def _argparse_in(lang: Language) -> Iterator[None]:
    """argparse's headings in ``lang`` while the parser is built and used.

    argparse looks its texts up through the name ``_`` of its module (gettext's hook) each time
    it writes them; that name is swapped for the catalog's texts, then put back. Texts not
    listed in :func:`_argparse_texts` (argparse's rarer messages) stay as argparse writes them.
    """
    texts = _argparse_texts(lang)
    before = vars(argparse)["_"]
    vars(argparse)["_"] = lambda text: texts.get(text, before(text))
    _LANGUAGE.append(lang)
    try:
        yield
    finally:
        _LANGUAGE.pop()
        vars(argparse)["_"] = before


def _parser(lang: Language = SOURCE_LANGUAGE) -> argparse.ArgumentParser:
    """The command line's parser, its help in ``lang`` (call it within :func:`_argparse_in`
    for argparse's own headings in that language too)."""

    def say(message: Message) -> str:
        return message.render(lang)

    def date(text: str) -> dt.date:
        """A date option's value: :func:`~dangjian.periods.parse_date`'s forms."""
        try:
            return parse_date(text)
        except PeriodError as e:
            forms = t("可用的写法：2020-07-15、2020/07/15、2020.07.15、2020年7月15日")
            refusal = t("{error}；{forms}", error=e.render(lang), forms=forms)
            raise argparse.ArgumentTypeError(refusal.render(lang)) from None

    def profile(text: str) -> str:
        """A ``--profile``: a shipped profile's name or the path of an existing rule file."""
        if text in PROFILES or Path(text).is_file():
            return text
        raise argparse.ArgumentTypeError(
            _suggestion(text, PROFILES, lang, say(t("，或一个已有的规则文件")))
        )

    parser = _Parser(
        prog="dangjian",
        description=say(
            t(
                "党建台账：载入并校验台账（JSON、YAML、TOML、Excel），按注明依据的规则检查，"
                "生成工作总结初稿，导出为数据表"
            )
        ),
        epilog=say(
            t(
                "语言：--lang 或环境变量 {env_lang}（默认中文）；"
                "{env_localedir} 可指定更多翻译目录。",
                env_lang=ENV_LANG,
                env_localedir=ENV_LOCALEDIR,
            )
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"dangjian {__version__}",
        help=say(t("显示版本号并退出")),
    )
    common = _Parser(add_help=False)
    languages = available_languages()  # a catalog dropped in through DANGJIAN_LOCALEDIR too
    default_lang = os.environ.get(ENV_LANG) or SOURCE_LANGUAGE
    common.add_argument(
        "--lang",
        choices=languages,
        default=argparse.SUPPRESS,
        help=say(
            t(
                "提示和报告的语言（默认：{env_lang} 所指，未设时为 zh）",
                env_lang=ENV_LANG,
            )
        ),
    )
    parser.add_argument("--lang", choices=languages, default=default_lang, help=argparse.SUPPRESS)
    # what reading a ledger takes: the limits of an Excel workbook
    reading = _Parser(add_help=False)
    reading.add_argument(
        "--excel-limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=say(
            t(
                "放宽读取 .xlsx 台账的一项上限，如 max_cells=500000（可重复）；上限名称：{names}",
                names=", ".join(_limit_names()),
            )
        ),
    )

    def rule_options(target: argparse.ArgumentParser) -> None:
        """``--profile`` and ``--rules``, as every command that reads the national rules takes
        them (``explain`` has its own default, ``organ``)."""
        target.add_argument(
            "--profile",
            default="national",
            type=profile,
            help=say(
                t(
                    "规则集：{profiles} 之一，或一个规则文件（默认：national）",
                    profiles=", ".join(PROFILES),
                )
            ),
        )
        target.add_argument(
            "--rules",
            action="append",
            default=[],
            metavar="FILE",
            help=say(t("在规则集之上再加的规则文件（可重复）")),
        )

    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, about: Message, parents: Sequence[_Parser]) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=parents, help=say(about), description=say(about))

    validate = command("validate", t("校验台账并列出其内容"), [common, reading])
    validate.add_argument(
        "ledger",
        metavar="LEDGER",
        help=say(t("台账文件：.json、.yaml、.yml、.toml 或 .xlsx")),
    )

    convert = command("convert", t("在 JSON、YAML、TOML、Excel 之间转换台账"), [common, reading])
    convert.add_argument("source", metavar="IN", help=say(t("要读取的台账")))
    convert.add_argument("target", metavar="OUT", help=say(t("要写入的文件，由其后缀决定格式")))
    convert.add_argument("--force", action="store_true", help=say(t("OUT 已存在时覆盖它")))

    exp_tables = command(
        "export", t("把台账导出为 Parquet 表的目录（每个表一个文件）"), [common, reading]
    )
    exp_tables.add_argument(
        "ledger", metavar="LEDGER", help=say(t("台账文件：.json、.yaml、.yml、.toml 或 .xlsx"))
    )
    exp_tables.add_argument(
        "directory", metavar="DIR", help=say(t("要新建的目录（已存在时须为空目录）"))
    )
    exp_tables.add_argument(
        "--force", action="store_true", help=say(t("DIR 是先前导出的目录时替换它"))
    )

    imp_tables = command("import", t("把导出的 Parquet 表目录读回为台账文件"), [common])
    imp_tables.add_argument("directory", metavar="DIR", help=say(t("导出的 Parquet 表目录")))
    imp_tables.add_argument(
        "ledger", metavar="LEDGER", help=say(t("要写入的台账文件，由其后缀决定格式"))
    )
    imp_tables.add_argument("--force", action="store_true", help=say(t("LEDGER 已存在时覆盖它")))

    # what a check needs, shared by ``check`` and ``summary`` (which lists the check's failures)
    checking = _Parser(add_help=False, parents=[reading])
    checking.add_argument(
        "--period",
        required=True,
        help=say(t("检查的期间：2020H1、2020Q2、2020-05、2020 或 2020-W14")),
    )
    checking.add_argument(
        "--as-of",
        type=date,
        metavar="DATE",
        help=say(t("判断所依据的日期，如 2020-07-15、2020/7/15 或 2020年7月15日（默认：今天）")),
    )
    rule_options(checking)
    checking.add_argument("--waivers", metavar="FILE", help=say(t("豁免文件")))
    checking.add_argument(
        "--allow-unmatched",
        action="store_true",
        help=say(t("豁免或规则条目未匹配任何内容时只警告（输出到标准错误），不报错")),
    )

    chk = command("check", t("按规则检查台账"), [common, checking])
    chk.add_argument(
        "ledger",
        metavar="SOURCE",
        help=say(
            t(
                "要检查的记录：台账文件，或数据表（Parquet 文件目录、DuckDB 数据库文件、"
                "PostgreSQL 连接地址 postgresql://…）"
            )
        ),
    )
    chk.add_argument(
        "--engine",
        choices=("objects", "duckdb", "spark"),
        help=say(
            t(
                "检查引擎：objects（在内存中逐条检查台账）、duckdb（数据表引擎，嵌入式）、"
                "spark（数据表引擎，在 Spark 上运行）；默认：台账文件用 objects，数据表用数据表引擎"
            )
        ),
    )
    chk.add_argument(
        "--database",
        metavar="SCHEMA",
        help=say(t("数据表所在的模式（PostgreSQL）或数据库（Spark），不是默认的时")),
    )
    chk.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help=say(
            t(
                "数据表引擎在 DuckDB 上最多使用的内存（如 3GB、500MiB），超出部分暂存到系统临时目录；"
                "默认：本机内存的四分之一"
            )
        ),
    )
    chk.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULE",
        help=say(t("只检查此规则，或编号以此开头的规则（如 dues 或 dues.）；可重复")),
    )
    chk.add_argument(
        "--format",
        choices=format_names(),
        default="text",
        help=say(t("报告的格式（默认：text）")),
    )
    chk.add_argument(
        "--fail-on",
        choices=tuple(s.code for s in Severity),
        default="error",
        help=say(t("有此严重程度或更高的规则不符合时，以退出码 1 结束（默认：error）")),
    )
    chk.add_argument(
        "--fail-on-unknown",
        action="store_true",
        help=say(t("该严重程度的规则无法判断（记录不足）时，也以退出码 1 结束")),
    )
    chk.add_argument("--output", metavar="FILE", help=say(t("把报告写入此文件，而不是打印出来")))
    chk.add_argument("--force", action="store_true", help=say(t("--output 的文件已存在时覆盖它")))
    chk.add_argument(
        "--codes",
        action="store_true",
        help=say(t("csv 格式用代码（列名、状态和级别的代码），供脚本读取；即 --format csv-codes")),
    )
    chk.add_argument(
        "--verbose",
        action="store_true",
        help=say(t("text 格式每条结果一行，不归并；即 --format text-verbose")),
    )
    chk.add_argument(
        "--failed-only",
        action="store_true",
        help=say(t("只列出不符合、无法判断和已豁免的结果")),
    )

    due = command("due", t("列出某日起一段时间内到期的应办事项"), [common, reading])
    due.add_argument(
        "ledger", metavar="LEDGER", help=say(t("台账文件：.json、.yaml、.yml、.toml 或 .xlsx"))
    )
    due.add_argument(
        "--as-of",
        type=date,
        metavar="DATE",
        help=say(t("从哪一天看起，如 2020-07-15、2020/7/15 或 2020年7月15日（默认：今天）")),
    )
    due.add_argument(
        "--days",
        type=int,
        default=30,
        help=say(t("向后看多少天（默认：30）")),
    )
    rule_options(due)
    due.add_argument("--waivers", metavar="FILE", help=say(t("豁免文件")))
    due.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULE",
        help=say(t("只检查此规则，或编号以此开头的规则（如 dues 或 dues.）；可重复")),
    )
    due.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help=say(t("列表的格式（默认：text）")),
    )
    due.add_argument("--output", metavar="FILE", help=say(t("把列表写入此文件，而不是打印出来")))
    due.add_argument("--force", action="store_true", help=say(t("--output 的文件已存在时覆盖它")))

    # -- plan: the annual plan of meetings (dangjian.planning) --
    pln = command("plan", t("列出一年中按规则应召开的会议（年度计划）"), [common, reading])
    pln.add_argument(
        "ledger", metavar="LEDGER", help=say(t("台账文件：.json、.yaml、.yml、.toml 或 .xlsx"))
    )
    pln.add_argument("--year", type=int, required=True, help=say(t("计划的年份")))
    rule_options(pln)
    pln.add_argument(
        "--format",
        choices=("text", "json", "ics", "xlsx"),
        default="text",
        help=say(t("计划的格式（默认：text；ics 和 xlsx 需要 --output）")),
    )
    pln.add_argument("--output", metavar="FILE", help=say(t("把计划写入此文件，而不是打印出来")))
    pln.add_argument("--force", action="store_true", help=say(t("--output 的文件已存在时覆盖它")))

    rules = command("rules", t("列出规则及其依据"), [common])
    rule_options(rules)
    rules.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help=say(t("列表的格式（默认：text）")),
    )

    exp = command("explain", t("说明一条规则"), [common])
    exp.add_argument("rule", metavar="RULE_ID", help=say(t("规则编号")))
    exp.add_argument(
        "--profile", default="organ", type=profile, help=say(t("规则集或规则文件（默认：organ）"))
    )
    exp.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="FILE",
        help=say(t("在规则集之上再加的规则文件（可重复）")),
    )

    summ = command("summary", t("根据台账和检查中不符合的项，生成工作总结初稿"), [common, checking])
    summ.add_argument("ledger", metavar="LEDGER", help=say(t("要总结的台账")))
    summ.add_argument(
        "--format",
        choices=("markdown", "docx", "json"),
        default="markdown",
        help=say(t("初稿的格式（默认：markdown）")),
    )
    summ.add_argument(
        "--output", metavar="FILE", help=say(t("把初稿写入此文件（docx 格式必须给出）"))
    )
    summ.add_argument("--force", action="store_true", help=say(t("--output 的文件已存在时覆盖它")))
    summ.add_argument(
        "--reference",
        metavar="FILE.docx",
        help=say(t("docx 格式：用此 Word 文档的样式和页面设置代替公文格式")),
    )
    summ.add_argument(
        "--template",
        choices=("committee", "branch", "village"),
        help=say(t("总结模板：机关党委、党支部或村党组织（默认：按台账的组织判断）")),
    )
    summ.add_argument("--author", help=say(t("docx 格式：文档属性中的作者（默认：组织名称）")))

    ex = command(
        "example",
        t("初次使用：写出自带的示例（台账、工作计划、豁免文件，及同一台账的 Excel 工作簿）"),
        [common],
    )
    ex.add_argument("directory", metavar="DIR", help=say(t("要写入的目录（不存在时新建）")))
    ex.add_argument("--force", action="store_true", help=say(t("DIR 中已有同名文件时覆盖它们")))

    tpl = command("template", t("生成空白的 Excel 台账模板，供填写"), [common])
    tpl.add_argument("target", metavar="OUT", help=say(t("要写入的 .xlsx 文件")))
    tpl.add_argument("--force", action="store_true", help=say(t("OUT 已存在时覆盖它")))

    # -- scorecard (党建工作评分) --
    card = command("scorecard", t("按评分方案给各党组织计分、排名"), [common, checking])
    card.add_argument("ledger", metavar="LEDGER", help=say(t("要评分的台账")))
    card.add_argument("--scheme", metavar="FILE", help=say(t("评分方案 .toml（默认：自带方案）")))
    card.add_argument("--previous-period", metavar="PERIOD", help=say(t("与之比较的上一期间")))
    card.add_argument(
        "--format", choices=SCORECARD_FORMATS, default="text", help=say(t("格式（默认：text）"))
    )
    card.add_argument("--output", metavar="FILE", help=say(t("写入此文件，而不是打印出来")))
    card.add_argument("--force", action="store_true", help=say(t("--output 的文件已存在时覆盖它")))
    return parser


def _limit_names() -> tuple[str, ...]:
    from dangjian.io.excel import LIMIT_NAMES

    return LIMIT_NAMES


def _load(path: str, args: argparse.Namespace) -> Ledger:
    """The ledger at ``path``, an Excel workbook read within the ``--excel-limit`` given; the
    notices of reading it (:class:`~dangjian.errors.LedgerNotice`) said on stderr."""
    from dangjian.errors import LedgerNotice

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LedgerNotice)
        if not args.excel_limit:
            ledger = load(path)
        else:
            from dangjian.io.excel import parse_limits

            ledger = load(path, limits=parse_limits(args.excel_limit))
    head = t("提示").render(args.lang)
    for w in caught:
        if isinstance(w.message, LedgerNotice):
            print(
                terminal_text(f"dangjian: {head}: {w.message.render(args.lang)}"), file=sys.stderr
            )
        else:  # another warning, as it would have been shown
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return ledger


def _inside(path: str, directory: str) -> bool:
    """Whether ``path`` is ``directory`` or lies within it, however either is spelled."""
    inner, outer = Path(os.path.realpath(path)), Path(os.path.realpath(directory))
    return inner == outer or outer in inner.parents


def _export(args: argparse.Namespace) -> int:
    from dangjian.tables.parquet import export

    if _inside(args.ledger, args.directory):
        raise DangjianError(
            t(
                "{directory}：台账 {ledger} 就在此目录中，拒绝写入，请另选目录",
                directory=args.directory,
                ledger=args.ledger,
            )
        )
    export(_load(args.ledger, args), args.directory, replace=args.force)
    print(terminal_text(f"{args.ledger} → {args.directory}"))
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from dangjian.tables.parquet import load as load_tables

    format_of(args.ledger)  # an unknown suffix is refused before anything is read
    if _inside(args.ledger, args.directory):
        raise DangjianError(
            t(
                "{ledger}：在输入目录 {directory} 之中，拒绝写入，请另选输出文件",
                directory=args.directory,
                ledger=args.ledger,
            )
        )
    _may_write(args.ledger, [], args.force)
    dump(load_tables(args.directory), args.ledger, overwrite=args.force)
    print(terminal_text(f"{args.directory} → {args.ledger}"))
    return EXIT_OK


def _template(args: argparse.Namespace, lang: Language) -> int:
    from dangjian.io.excel import write_template

    target = Path(args.target)
    if target.suffix.lower() != ".xlsx":
        raise DangjianError(
            t("{target}：模板是 Excel 工作簿，文件名应以 .xlsx 结尾", target=str(target))
        )
    if target.exists() and not args.force:
        raise DangjianError(t("{target}：文件已存在，加 --force 覆盖", target=str(target)))
    write_template(target, overwrite=args.force)
    print(terminal_text(t("{target}：已生成台账模板", target=str(target)).render(lang)))
    return EXIT_OK


def _example(args: argparse.Namespace, lang: Language) -> int:
    """Write the bundled example into ``DIR``, list what was written and the next command."""
    from dangjian import example

    written = example.write(args.directory, overwrite=args.force)
    for path in written.files:
        print(terminal_text(str(path)))
    if written.without_workbook is not None:
        skipped = t(
            "dangjian: 未写出 Excel 工作簿 {workbook}：{reason}",
            workbook=example.WORKBOOK,
            reason=written.without_workbook.render(lang),
        )
        print(terminal_text(skipped.render(lang)), file=sys.stderr)
    here = Path(args.directory)
    command = shlex.join(
        [
            "dangjian",
            "check",
            str(here / example.LEDGER),
            "--period",
            "2020H1",
            "--profile",
            "organ",
            "--rules",
            str(here / example.PLAN),
            "--waivers",
            str(here / example.WAIVERS),
            "--failed-only",
        ]
    )
    print(terminal_text(t("下一步，检查示例台账：{command}", command=command).render(lang)))
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


_VARIANTS = {("csv", True, False): "csv-codes", ("text", False, True): "text-verbose"}
"""``check --format``, ``--codes`` and ``--verbose`` → the format they ask for."""


def _check(args: argparse.Namespace, lang: Language) -> int:
    args.format = _VARIANTS.get((args.format, args.codes, args.verbose), args.format)
    binary = get_format(args.format).binary
    parquet = bool(args.output) and Path(args.output).suffix.lower() == ".parquet"
    if binary and not args.output:
        needs = t("dangjian: {format} 格式需要 --output 指定文件", format=args.format)
        print(needs.render(lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.output:
        _may_write(args.output, _inputs(args), args.force)
    waivers = load_waivers(args.waivers) if args.waivers else ()
    options: dict[str, Any] = dict(
        as_of=args.as_of,
        profile=args.profile,
        rules=args.rules,
        waivers=waivers,
        allow_unmatched=args.allow_unmatched,
        only=args.select,
    )
    if args.engine not in (None, "objects") or not _is_ledger_file(args.ledger) or parquet:
        return _check_tables(args, lang, options)
    report = check(_load(args.ledger, args), args.period, **options)
    _print_notices(report.notices, lang)
    code = report.exit_code(args.fail_on, unknown=args.fail_on_unknown)
    if args.failed_only:
        report = report.filter(status=("failed", "unknown", "waived"))
    if args.output:
        refuse_same(args.output, _extended(args))  # a file that a rule file extends, too
        if binary:
            write_bytes(args.output, report.to_bytes(args.format, lang), overwrite=args.force)
        else:
            write_text(args.output, report.render(args.format, lang), overwrite=args.force)
        print(terminal_text(report.summary_line(lang)))
    else:
        sys.stdout.write(report.render(args.format, lang))
    return EXIT_FAILED if code else EXIT_OK


_LEDGER_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".xlsx")


def _is_ledger_file(source: str) -> bool:
    """Whether ``source`` names a ledger file (the other sources are tables)."""
    return Path(source).suffix.lower() in _LEDGER_SUFFIXES and "://" not in source


def _check_tables(args: argparse.Namespace, lang: Language, options: dict[str, Any]) -> int:
    """``check`` with the table engine: counts by rule and status first; the findings written
    to ``--output`` (a ``.parquet`` file keeps them as a table, other formats list them)."""
    from dangjian.tables.check import check as check_tables
    from dangjian.tables.report import MATERIALISE_LIMIT

    source: object = args.ledger
    if _is_ledger_file(args.ledger):
        source = _load(args.ledger, args)
    report = check_tables(
        source,
        args.period,
        engine=args.engine or "duckdb",
        database=args.database,
        memory_limit=args.memory_limit,
        **options,
    )
    _print_notices(report.notices, lang)
    code = report.exit_code(args.fail_on, unknown=args.fail_on_unknown)
    if args.failed_only:
        report = report.filter(status=("failed", "unknown", "waived"))
    if args.output and Path(args.output).suffix.lower() == ".parquet":
        refuse_same(args.output, _extended(args))
        report.to_parquet(args.output)
        print(terminal_text(report.summary_line(lang)))
        return EXIT_FAILED if code else EXIT_OK
    if len(report) > MATERIALISE_LIMIT:
        print(terminal_text(report.summary_line(lang)))
        for row in report.counts_by("rule", "status"):
            print(terminal_text(f"{row['rule']}\t{row['status']}\t{row['n']}"))
        more = t(
            "检查结果超过{limit}条，未逐条列出；用 --output FILE.parquet 保存全部结果",
            limit=MATERIALISE_LIMIT,
        )
        print(terminal_text(more.render(lang)), file=sys.stderr)
        return EXIT_FAILED if code else EXIT_OK
    full = report.to_report()
    if args.output:
        refuse_same(args.output, _extended(args))
        if get_format(args.format).binary:
            write_bytes(args.output, full.to_bytes(args.format, lang), overwrite=args.force)
        else:
            write_text(args.output, full.render(args.format, lang), overwrite=args.force)
        print(terminal_text(full.summary_line(lang)))
    else:
        sys.stdout.write(full.render(args.format, lang))
    return EXIT_FAILED if code else EXIT_OK


def _print_notices(notices: Sequence[Problem], lang: Language) -> None:
    """The entries that matched nothing, checked with ``--allow-unmatched``: still said; and
    the waivers not applied because their findings cannot be told."""
    head = t("警告：未匹配任何内容").render(lang)
    idle = t("提示：豁免未适用").render(lang)
    for p in notices:
        shown = idle if p.code == "waiver_on_unknown" else head
        print(f"dangjian: {shown}: {p.render(lang)}", file=sys.stderr)


def _due(args: argparse.Namespace, lang: Language) -> int:
    from dangjian.deadlines import due

    if args.days < 0:
        raise DangjianError(t("期限天数不能为负数：{days}", days=args.days))
    if args.output:
        _may_write(args.output, _inputs(args), args.force)
    found = due(
        _load(args.ledger, args),
        args.as_of or dt.date.today(),
        args.days,
        profile=args.profile,
        rules=args.rules,
        waivers=load_waivers(args.waivers) if args.waivers else (),
        only=args.select,
    )
    _print_notices(found.notices, lang)
    if args.output:
        refuse_same(args.output, _extended(args))
        # the text for a file is not fitted to this terminal
        width = 100 if args.format == "text" else None
        write_text(args.output, found.render(args.format, lang, width), overwrite=args.force)
        print(terminal_text(str(args.output)))
    else:
        sys.stdout.write(found.render(args.format, lang))
    return EXIT_OK


def _plan(args: argparse.Namespace, lang: Language) -> int:
    from dangjian.planning import plan

    if args.format in ("ics", "xlsx") and not args.output:
        print(t("dangjian: 此格式需要 --output 指定文件").render(lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.output:
        _may_write(args.output, [args.ledger, args.profile, *args.rules], args.force)
    found = plan(_load(args.ledger, args), args.year, profile=args.profile, rules=args.rules)
    if args.output:
        refuse_same(args.output, _extended(args))
        found.write(args.output, args.format, lang, overwrite=args.force)
        print(terminal_text(str(args.output)))
    else:
        sys.stdout.write(found.render(args.format, lang))
    return EXIT_OK


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
    except KeyError:
        unknown = t("dangjian: 没有编号为「{rule_id}」的规则", rule_id=args.rule)
        print(terminal_text(unknown.render(lang)), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(terminal_text(explain(rule, lang)), end="")
    return EXIT_OK


def _work_summary(args: argparse.Namespace, lang: Language) -> int:
    from dangjian.periods import Period
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
        # a summary is as of its period's end (today, for a period not over)
        as_of=args.as_of or min(Period.parse(args.period).end, dt.date.today()),
        profile=args.profile,
        rules=args.rules,
        waivers=waivers,
        allow_unmatched=args.allow_unmatched,
    )
    _print_notices(report.notices, lang)
    summary = summarize(ledger, report.period, report=report, template=args.template)
    if args.output:
        refuse_same(args.output, _extended(args))  # a file that a rule file extends, too
    if args.format == "docx":
        summary.to_docx(
            args.output,
            overwrite=args.force,
            lang=lang,
            reference=args.reference,
            author=args.author,
        )
    else:
        text = summary.to_markdown(lang) if args.format == "markdown" else summary.to_json()
        if not args.output:
            sys.stdout.write(text)
            return EXIT_OK
        write_text(args.output, text, overwrite=args.force)
    line = t("{file}：{text}", file=args.output, text=report.summary_line(lang))
    print(terminal_text(line.render(lang)))
    return EXIT_OK


def _scorecard(args: argparse.Namespace, lang: Language) -> int:
    from dangjian.scoring import load_scheme, scorecard

    if args.format in ("xlsx", "png", "svg") and not args.output:
        needs = t("dangjian: {format} 格式需要 --output 指定文件", format=args.format)
        print(needs.render(lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    inputs = [*_inputs(args), *([args.scheme] if args.scheme else [])]
    if args.output:
        _may_write(args.output, inputs, args.force)
    scheme = load_scheme(args.scheme)
    ledger = _load(args.ledger, args)
    options: dict[str, Any] = dict(
        as_of=args.as_of,
        profile=args.profile,
        rules=args.rules,
        waivers=load_waivers(args.waivers) if args.waivers else (),
        allow_unmatched=args.allow_unmatched,
    )
    report = check(ledger, args.period, **options)
    _print_notices(report.notices, lang)
    # the waivers of this period need not match the previous one: there they are not errors
    earlier = {**options, "allow_unmatched": True}
    before = check(ledger, args.previous_period, **earlier) if args.previous_period else None
    card = scorecard(report, scheme, previous=before, ledger=ledger)
    _print_notices(card.notices, lang)
    if args.output:
        refuse_same(args.output, _extended(args))
        card.write(args.output, args.format, lang, overwrite=args.force)
        print(terminal_text(str(args.output)))
    else:
        sys.stdout.write(card.render(args.format, lang))
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
    words = sys.argv[1:] if argv is None else argv
    request = _requested_language(words)
    with _argparse_in(request):
        args = _parser(request).parse_args(words)
    lang: Language = args.lang
    if lang not in available_languages():  # the default, named by DANGJIAN_LANG
        unknown = t(
            "dangjian: 环境变量 {env_lang} 所指的语言 {lang} 没有翻译目录；可用的语言：{known}",
            env_lang=ENV_LANG,
            lang=lang,
            known=", ".join(available_languages()),
        )
        print(terminal_text(unknown.render()), file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        if args.command == "validate":
            ledger = _load(args.ledger, args)
            print(terminal_text(_summary(ledger, lang)))
        elif args.command == "convert":
            _may_write(args.target, [args.source], args.force)
            dump(_load(args.source, args), args.target, overwrite=args.force)
            print(terminal_text(f"{args.source} → {args.target}"))
        elif args.command == "export":
            return _export(args)
        elif args.command == "import":
            return _import(args)
        elif args.command == "check":
            return _check(args, lang)
        elif args.command == "due":
            return _due(args, lang)
        elif args.command == "plan":
            return _plan(args, lang)
        elif args.command == "rules":
            return _rules(args, lang)
        elif args.command == "explain":
            return _explain(args, lang)
        elif args.command == "summary":
            return _work_summary(args, lang)
        elif args.command == "template":
            return _template(args, lang)
        elif args.command == "example":
            return _example(args, lang)
        elif args.command == "scorecard":
            return _scorecard(args, lang)
    except ProblemsError as e:
        print(terminal_text(e.render(lang)), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (``dangjian check … | head``): not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except DangjianError as e:
        print(terminal_text(f"dangjian: {e.render(lang)}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as e:
        print(terminal_text(f"dangjian: {e}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
