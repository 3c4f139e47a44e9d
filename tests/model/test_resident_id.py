"""The resident identity number: GB 11643 check character, birth date, gender and masking."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian import Gender, LedgerError, Member, MemberStatus, ResidentId, loads

# Computed here from the standard, not taken from the implementation: the weight of the
# 0-based position i is 2^(17 - i) mod 11, and the check character is '10X98765432'[sum % 11].
WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
CHECK = "10X98765432"


def gb11643(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_id(area: str, born: dt.date, sequence: str) -> str:
    first17 = f"{area}{born:%Y%m%d}{sequence}"
    return first17 + gb11643(first17)


def test_weights_are_those_of_the_standard() -> None:
    # A guard on the test's own arithmetic: the table printed in GB 11643-1999.
    assert WEIGHTS == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


KNOWN_VALID = [
    # The two examples of GB 11643-1999.
    ("11010519491231002X", dt.date(1949, 12, 31), False),
    ("440524188001010014", dt.date(1880, 1, 1), True),
    # Computed with the algorithm above.
    (make_id("620102", dt.date(1984, 2, 29), "123"), dt.date(1984, 2, 29), True),
    (make_id("310115", dt.date(2000, 1, 1), "008"), dt.date(2000, 1, 1), False),
]


@pytest.mark.parametrize(("number", "born", "male"), KNOWN_VALID)
def test_known_valid_numbers(number: str, born: dt.date, male: bool) -> None:
    rid = ResidentId(number)
    assert rid.reveal() == number
    assert rid.birth_date == born
    assert rid.is_male is male


def test_a_check_digit_of_x_is_computed_as_ten() -> None:
    # Find a number whose check character is X to exercise the '10' position of the table.
    body = next(
        f"110105{d:%Y%m%d}{s:03d}"
        for d in (dt.date(1990, 1, 1) + dt.timedelta(days=k) for k in range(50))
        for s in range(1000)
        if gb11643(f"110105{d:%Y%m%d}{s:03d}") == "X"
    )
    assert ResidentId(body + "X").reveal() == body + "X"
    with pytest.raises(ValueError):
        ResidentId(body + "x")
    for wrong in "0123456789":
        with pytest.raises(ValueError):
            ResidentId(body + wrong)


areas = st.text(alphabet="0123456789", min_size=6, max_size=6)
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
sequences = st.text(alphabet="0123456789", min_size=3, max_size=3)


@given(areas, births, sequences)
def test_any_seventeen_digits_with_a_real_date_and_their_check_char_are_valid(
    area: str, born: dt.date, sequence: str
) -> None:
    number = make_id(area, born, sequence)
    rid = ResidentId(number)
    assert rid.reveal() == number
    assert rid.birth_date == born
    assert rid.is_male is (int(sequence[-1]) % 2 == 1)


@given(areas, births, sequences, st.integers(0, 17), st.integers(1, 10))
def test_changing_any_single_character_makes_it_invalid(
    area: str, born: dt.date, sequence: str, position: int, shift: int
) -> None:
    number = make_id(area, born, sequence)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = alphabet.index(number[position])
    new = alphabet[(old + shift) % len(alphabet)]
    if new == number[position]:  # a shift of 10 in the digit alphabet comes back round
        new = alphabet[(old + 1) % len(alphabet)]
    changed = number[:position] + new + number[position + 1 :]
    assert changed != number
    with pytest.raises(ValueError):
        ResidentId(changed)


@pytest.mark.parametrize(
    "number",
    [
        "",
        "11010519491231002",  # 17
        "11010519491231002X0",  # 19
        "110105194912310",  # the old 15-digit form
    ],
)
def test_wrong_length_is_invalid(number: str) -> None:
    with pytest.raises(ValueError, match="18"):
        ResidentId(number)


def test_lowercase_x_is_invalid() -> None:
    with pytest.raises(ValueError, match="capital X"):
        ResidentId("11010519491231002x")


@pytest.mark.parametrize(
    "number",
    [
        "1101051949123100 X",
        "11010519491231002Y",
        "A1010519491231002X",
        "１1010519491231002X",  # a full-width digit is a digit, but not an ASCII one
    ],
)
def test_non_digits_are_invalid(number: str) -> None:
    with pytest.raises(ValueError):
        ResidentId(number)


@pytest.mark.parametrize(
    "born",
    ["19490230", "19491301", "19490001", "19491200", "19490229", "00001231"],
)
def test_invalid_birth_date_is_invalid_even_with_a_matching_check_char(born: str) -> None:
    first17 = f"110105{born}002"
    with pytest.raises(ValueError, match="birth date"):
        ResidentId(first17 + gb11643(first17))


def test_leap_day_is_valid_in_a_leap_year() -> None:
    assert ResidentId(make_id("110105", dt.date(2000, 2, 29), "002")).birth_date.day == 29


def test_not_text_is_invalid() -> None:
    with pytest.raises(ValueError):
        ResidentId(11010519491231002)  # type: ignore[arg-type]


# -- masking -------------------------------------------------------------------------------

NUMBER = "11010519491231002X"
MIDDLE = NUMBER[3:14]


def test_repr_and_str_are_masked() -> None:
    rid = ResidentId(NUMBER)
    for shown in (repr(rid), str(rid), rid.masked(), rid.show(), f"{rid}", f"{rid!r}"):
        assert NUMBER not in shown
        assert MIDDLE not in shown
        assert "19491231" not in shown
    assert str(rid) == "110" + "*" * 11 + "002X"
    assert repr(rid) == "ResidentId('110***********002X')"


@given(areas, births, sequences)
def test_masking_never_reveals_the_middle(area: str, born: dt.date, sequence: str) -> None:
    number = make_id(area, born, sequence)
    rid = ResidentId(number)
    for shown in (repr(rid), str(rid), rid.show()):
        assert number[3:14] not in shown
        assert shown.count("*") == 11
        assert number[:3] + "*" * 11 + number[-4:] in shown


def test_show_with_include_pii_reveals() -> None:
    rid = ResidentId(NUMBER)
    assert rid.show(include_pii=True) == NUMBER
    assert rid.show(include_pii=False) == rid.masked()


def _member(rid: ResidentId | None) -> Member:
    return Member(
        id="m1",
        name="王芳",
        gender=Gender.FEMALE,
        birth_date=dt.date(1949, 12, 31),
        resident_id=rid,
        branch="b1",
        status=MemberStatus.FULL,
    )


def test_member_repr_masks_the_resident_id() -> None:
    member = _member(ResidentId(NUMBER))
    for shown in (repr(member), str(member), member.describe(), repr((member,))):
        assert MIDDLE not in shown
        assert "110***********002X" in shown
    assert "name='王芳'" in repr(member)


def test_member_describe_with_include_pii_reveals() -> None:
    member = _member(ResidentId(NUMBER))
    assert f"resident_id={NUMBER!r}" in member.describe(include_pii=True)


def test_member_without_resident_id_describes_none() -> None:
    assert "resident_id=None" in repr(_member(None))


def test_ledger_repr_masks_the_resident_id(make_ledger) -> None:
    assert MIDDLE not in repr(make_ledger())


# -- error messages never repeat the number ----------------------------------------------------

LEDGER_WITH_ID = """
name: 局机关党委
branches:
  - {{id: b1, name: 第一党支部, level: branch, category: organ}}
members:
  - {{id: m1, name: 王芳, gender: female, branch: b1, status: full, resident_id: {rid}}}
"""


@pytest.mark.parametrize(
    ("written", "secret"),
    [
        ('"110105194912310021"', "110105194912310021"),  # wrong check digit
        ('"11010519491231002x"', "11010519491231002"),  # lowercase x
        ('"11010519490231002X"', "11010519490231002"),  # 31 February
        ('"1101051949123100"', "1101051949123100"),  # too short
        ("110105194912310021", "110105194912310021"),  # a number, not text
        ("440524188001010014", "440524188001010014"),  # a valid one, unquoted
    ],
)
def test_error_messages_never_contain_the_number(written: str, secret: str) -> None:
    with pytest.raises(LedgerError) as caught:
        loads(LEDGER_WITH_ID.format(rid=written), "yaml", source="ledger.yaml")
    error = caught.value
    assert [p.path for p in error.problems] == ["members[0].resident_id"]
    for text in (str(error), error.render("en"), repr(error), *map(repr, error.problems)):
        assert secret not in text
        assert secret[3:14] not in text


def test_constructor_error_does_not_contain_the_number() -> None:
    bad = "110105194912310021"
    with pytest.raises(ValueError) as caught:
        ResidentId(bad)
    assert bad not in str(caught.value)
    assert bad[3:14] not in str(caught.value)


def test_a_mismatch_with_the_member_record_is_reported_without_the_number(make_ledger) -> None:
    ledger = make_ledger()
    m1 = attrs.evolve(ledger.members[0], birth_date=dt.date(1950, 1, 1), gender=Gender.MALE)
    problems = attrs.evolve(ledger, members=(m1, *ledger.members[1:])).problems()
    assert {(p.path, p.code) for p in problems} == {
        ("members[0].birth_date", "resident_id_mismatch"),
        ("members[0].gender", "resident_id_mismatch"),
    }
    for p in problems:
        assert MIDDLE not in p.message + p.message_en
