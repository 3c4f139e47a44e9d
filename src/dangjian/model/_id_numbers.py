"""Resident identity numbers (GB 11643-1999) as text: the check, and masking in free text.

Kept apart from :mod:`dangjian.model.resident_id` (the value class) so that the validators can
mask what they quote without importing the class that raises their errors.
"""

from __future__ import annotations

import datetime as dt
import re

from dangjian.i18n import Message, t

__all__ = ["check_digit", "mask_resident_ids", "masked", "resident_id_problem"]


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """The GB 11643 check character (``0``–``9`` or ``X``) of the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def resident_id_problem(text: str) -> Message | None:
    """What is wrong with ``text`` as an 18-character resident id.

    Returns ``None`` when it is valid. Messages never repeat the number itself.
    """
    if len(text) != 18:
        return t("身份证号应为18位，实为{length}位", length=len(text))
    body, last = text[:17], text[17]
    if not body.isascii() or not body.isdigit() or last not in "0123456789X":
        return t("身份证号前17位应为数字，末位为数字或大写X")
    try:
        dt.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        return t("身份证号中的出生日期无效")
    if check_digit(body) != last:
        return t("身份证号校验码不符（GB 11643）")
    return None


def masked(number: str) -> str:
    return number[:3] + "*" * 11 + number[-4:]


# a run of ASCII digits and check letters long enough to hold a resident id
_RUN = re.compile(r"[0-9Xx]{18,}")


def mask_resident_ids(text: str) -> str:
    """``text`` with every resident id in it masked (``110***********002X``).

    Anything that validates as a resident id is masked (a lowercase ``x`` as the check character
    counts too), wherever it stands: alone, inside quotes, between other text, or inside a longer
    run of digits (an id typed twice, or run into a phone number). Messages that
    quote what a user wrote pass it through here, so a resident id typed into the wrong field or
    column is never shown in full.

    >>> mask_resident_ids("name: 11010519491231002X; 123456789012345678 is no id")
    'name: 110***********002X; 123456789012345678 is no id'
    """
    if len(text) < 18:
        return text
    chars: list[str] | None = None
    for match in _RUN.finditer(text):
        run = match[0]
        for i in range(len(run) - 17):
            if resident_id_problem(run[i : i + 18].upper()) is None:
                if chars is None:
                    chars = list(text)
                start = match.start() + i + 3
                chars[start : start + 11] = "*" * 11
    return text if chars is None else "".join(chars)
