"""The income base of dues: a month's gross pay less the deductions the regulation names.

A salaried member's dues are a share of the month's pay after tax (关于中国共产党党费收缴、使用和
管理的规定, 中组发〔2008〕3号, 第一、二条). Secondary sources that explain the regulation (for one,
《你的党费应该交多少怎么交》, 四川党的建设 2020年第13期) say the base leaves out 个人所得税 and the
member's own 养老保险、医疗保险、失业保险 and 住房公积金; that list has not been checked against the
regulation's text, and local practice varies (some offices deduct the tax only). What counts as
gross pay (工资总额中相对固定的、经常性的部分) is for the office to decide: this module only does
the arithmetic, exactly.
"""

from __future__ import annotations

from decimal import Decimal

from dangjian.errors import Problem, ProblemsError
from dangjian.i18n import Message, t
from dangjian.model import _validators as v

__all__ = ["DEDUCTIONS", "dues_base"]

DEDUCTIONS = ("income_tax", "pension", "medical", "unemployment", "housing_fund")
"""The deductions from gross pay, by the names :func:`dues_base` and
:class:`~dangjian.DuesPayment` give them: 个人所得税, and the member's own 养老保险, 医疗保险,
失业保险 and 住房公积金."""

_ZERO = Decimal(0)


def dues_base(
    gross: Decimal,
    *,
    income_tax: Decimal = _ZERO,
    pension: Decimal = _ZERO,
    medical: Decimal = _ZERO,
    unemployment: Decimal = _ZERO,
    housing_fund: Decimal = _ZERO,
) -> Decimal:
    """The monthly income base of a salaried member's dues: ``gross`` pay less 个人所得税 and
    the member's own 养老保险, 医疗保险, 失业保险 and 住房公积金, exactly.

    The regulation (党费规定, 中组发〔2008〕3号, 第一、二条) takes the dues of a salaried member
    as a share of the month's pay after tax; the deductions besides the tax are those secondary
    sources name (see :mod:`dangjian.model.pay`; not checked against the text). A deduction not
    given is 0. An office that deducts the tax only gives only ``income_tax``.

    >>> from decimal import Decimal as D
    >>> dues_base(D("8650.00"), income_tax=D("125.40"), pension=D("692.00"),
    ...     medical=D("173.00"), unemployment=D("43.25"), housing_fund=D("1038.00"))
    Decimal('6578.35')
    >>> dues_base(D("3000"))
    Decimal('3000')
    >>> dues_base(D("3000"), income_tax=D("3000"))
    Decimal('0')
    >>> dues_base(D("3000"), pension=D("2000"), housing_fund=D("1000.01"))
    Traceback (most recent call last):
        ...
    dangjian.errors.ProblemsError: 输入有 1 处错误：
      - housing_fund: 各项扣除合计3000.01元，超过工资总额3000元

    Args:
        gross: The month's gross pay (工资总额), in 元.
        income_tax: 个人所得税.
        pension: The member's own contribution to 养老保险.
        medical: The member's own contribution to 医疗保险.
        unemployment: The member's own contribution to 失业保险.
        housing_fund: The member's own contribution to 住房公积金.

    Returns:
        ``gross`` less the deductions, never negative.

    Raises:
        ProblemsError: an amount that is not a :class:`~decimal.Decimal` (or an ``int``) from
            0 to 10⁹ with at most 6 places, or deductions that add up to more than ``gross``;
            every problem is listed, each named by its argument.

    .. versionadded:: 0.2
    """
    amounts = {
        "gross": gross,
        "income_tax": income_tax,
        "pension": pension,
        "medical": medical,
        "unemployment": unemployment,
        "housing_fund": housing_fund,
    }
    problems: list[Problem] = []
    exact: dict[str, Decimal] = {}
    for name, value in amounts.items():
        # typed Decimal, but called from plain Python: an int is exact, a float or text is not
        # an amount
        given: object = value
        amount = Decimal(given) if type(given) is int else given
        if not isinstance(amount, Decimal) or not v.plain_decimal(amount):
            problems.append(
                Problem(
                    path=name,
                    code="invalid_value",
                    message=t("应为0至10⁹（十亿）之间、小数点后最多6位的金额（Decimal）"),
                )
            )
        else:
            exact[name] = amount
    if problems:
        raise ProblemsError(problems)
    result = deduct(exact["gross"], [exact[name] for name in DEDUCTIONS])
    if result is None:
        given = [name for name in DEDUCTIONS if exact[name]]
        problems.append(
            Problem(
                path=given[-1],
                code="deductions_exceed_gross",
                message=deductions_exceed_message(
                    sum((exact[name] for name in DEDUCTIONS), _ZERO), exact["gross"]
                ),
            )
        )
        raise ProblemsError(problems)
    return result


def deduct(gross: Decimal, deductions: list[Decimal]) -> Decimal | None:
    """``gross`` less ``deductions``, exactly (amounts of the ledger's bounds: 10⁹ with 6 places
    at most need 16 digits), or ``None`` when they add up to more than ``gross``."""
    total = sum(deductions, _ZERO)
    return None if total > gross else gross - total


def deductions_exceed_message(total: Decimal, gross: Decimal) -> Message:
    """That deductions adding up to ``total`` exceed the gross pay ``gross``."""
    shown_total, shown_gross = format(total, "f"), format(gross, "f")
    return t("各项扣除合计{total}元，超过工资总额{gross}元", total=shown_total, gross=shown_gross)
