"""dangjian._progress: progress drawn only where it was asked for, on a terminal, with tqdm;
otherwise the loops and steps are as if it were not there."""

from __future__ import annotations

import io
import sys
import threading
import time

import pytest

from dangjian import _progress
from dangjian._progress import notice, shown, task, track
from dangjian.i18n import t

pytest.importorskip("tqdm")  # the extra ``progress``, in ``test``


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_unless_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(track(range(3), "counting")) == [0, 1, 2]
    with task("waiting"):
        pass
    assert capsys.readouterr() == ("", "")


def test_a_loop_on_a_terminal_shows_its_description_and_count() -> None:
    screen = Terminal()
    with shown(screen) as drawn:
        assert drawn
        assert list(track(range(3), "counting", unit="rule")) == [0, 1, 2]
    out = screen.getvalue()
    assert "counting" in out and "0/3" in out and "rule" in out


def test_the_count_of_an_iterator_is_the_total_given() -> None:
    screen = Terminal()
    with shown(screen):
        assert list(track(iter("ab"), "letters", total=2)) == ["a", "b"]
    assert "0/2" in screen.getvalue()


@pytest.mark.parametrize("lang, shown_as", [("zh", "检查规则"), ("en", "checking rules")])
def test_the_description_speaks_the_language_asked_for(lang: str, shown_as: str) -> None:
    screen = Terminal()
    with shown(screen, lang=lang):
        list(track([1], t("检查规则")))
    assert shown_as in screen.getvalue()


def test_not_on_a_pipe_nor_when_quiet() -> None:
    pipe, screen = io.StringIO(), Terminal()
    with shown(pipe) as drawn:
        assert not drawn
        assert list(track([1, 2], "counting")) == [1, 2]
    with shown(screen, quiet=True) as drawn:
        assert not drawn
        list(track([1, 2], "counting"))
        with task("waiting"):
            pass
    assert pipe.getvalue() == screen.getvalue() == ""


def test_without_tqdm_nothing_is_drawn_and_nothing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm → ImportError
    screen = Terminal()
    with shown(screen) as drawn:
        assert not drawn
        assert list(track([1, 2], "counting")) == [1, 2]
        with task("waiting"):
            pass
    assert screen.getvalue() == ""


def test_a_step_is_redrawn_while_it_lasts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_progress, "REFRESH_SECONDS", 0.02)
    screen = Terminal()
    with shown(screen), task("waiting"):
        time.sleep(0.5)  # some 25 redraws; 3 leave room for a busy machine
    assert screen.getvalue().count("waiting") >= 3  # drawn first, then redrawn
    assert not any(th.name == "dangjian-progress" for th in threading.enumerate())


def test_a_step_that_fails_stops_its_redrawing() -> None:
    screen = Terminal()
    with pytest.raises(ValueError, match="bad"), shown(screen), task("waiting"):
        raise ValueError("bad")
    assert not any(th.name == "dangjian-progress" for th in threading.enumerate())


def test_outside_shown_it_is_off_again() -> None:
    screen = Terminal()
    with shown(screen):
        pass
    list(track([1], "counting"))
    assert screen.getvalue() == ""


def test_a_notice_is_said_unless_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    notice("dangjian: a notice")
    with shown(Terminal()):
        notice("dangjian: another")
    with shown(Terminal(), quiet=True):
        notice("dangjian: not said")
    assert capsys.readouterr() == ("", "dangjian: a notice\ndangjian: another\n")
