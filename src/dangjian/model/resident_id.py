"""The resident identity number (居民身份证号码, GB 11643-1999): validated, and masked when shown.

>>> rid = ResidentId("11010519491231002X")
>>> rid
ResidentId('110***********002X')
>>> str(rid), rid.reveal()
('110***********002X', '11010519491231002X')
>>> rid.birth_date, rid.is_male
(datetime.date(1949, 12, 31), False)

Any text that quotes user input can be made safe to show:

>>> mask_resident_ids("编号「11010519491231002X」不存在")
'编号「110***********002X」不存在'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from dangjian.i18n import t
from dangjian.model._id_numbers import check_digit, mask_resident_ids, resident_id_problem
from dangjian.model._id_numbers import masked as _mask_number
from dangjian.model._validators import FieldError

__all__ = ["ResidentId", "check_digit", "mask_resident_ids", "resident_id_problem"]


class ResidentId:
    """A valid resident identity number that hides itself when printed.

    ``repr`` and ``str`` show it masked; :meth:`reveal` gives the full number, and ledger files
    keep it in full since they are the user's own records. It is a plain value, not an attrs
    class: ``attrs.asdict`` and ``attrs.astuple`` of a member keep it as it is, masked when shown.

    Raises:
        ValueError: the number is not 18 characters, has a bad birth date or a wrong check digit.
    """

    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise FieldError("value", t("身份证号应为文本"))
        problem = resident_id_problem(value)
        if problem is not None:
            raise FieldError("value", problem)
        object.__setattr__(self, "_value", value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResidentId):
            return NotImplemented
        return self._value == other._value

    def __hash__(self) -> int:
        return hash((ResidentId, self._value))

    def __reduce__(self) -> tuple[type[ResidentId], tuple[str]]:
        return ResidentId, (self._value,)

    def reveal(self) -> str:
        """The full number. Only for the owner's own records or when asked for explicitly."""
        return self._value

    def masked(self) -> str:
        """The number with all but its first three and last four characters hidden."""
        return _mask_number(self._value)

    def show(self, *, include_pii: bool = False) -> str:
        """The number for display: masked unless ``include_pii`` is true."""
        return self._value if include_pii else self.masked()

    @property
    def birth_date(self) -> dt.date:
        """The birth date the number encodes."""
        v = self._value
        return dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))

    @property
    def is_male(self) -> bool:
        """Whether the number encodes a man (its 17th digit is odd)."""
        return int(self._value[16]) % 2 == 1

    def __repr__(self) -> str:
        return f"ResidentId({self.masked()!r})"

    def __str__(self) -> str:
        return self.masked()
