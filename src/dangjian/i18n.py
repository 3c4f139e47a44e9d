"""Messages in catalogs: every text dangjian shows a user, in any language with a catalog.

A message is written once, in Chinese (the source language), where it is made, and is rendered
later in the language asked for. The Chinese text is the gettext ``msgid``; other languages
are gettext catalogs (domain ``dangjian``) managed with babel.

>>> m = t("（整个文件）")
>>> m.render("zh")
'（整个文件）'
>>> m.render("en")
'(whole document)'

Placeholders are named, ``str.format`` style; a translation may use any subset of them, with
its own conversions and format specs (``{key!r}``, ``{count:,}``). Counts take the plural forms
of the language (:func:`tn`; Chinese has one form, English two). A parameter that is itself a
:class:`Message` is rendered in the same language:

>>> heading = tn("台账有 {n} 处错误", "台账有 {n} 处错误", 2)
>>> m = t("{source}：{heading}", source="a.yaml", heading=heading)
>>> m.render(), m.render("en")
('a.yaml：台账有 2 处错误', 'a.yaml: the ledger has 2 problems')

**Adding a message.** Write it in Chinese through :func:`t` (or :func:`tn` for a count,
:func:`tp` when the same Chinese needs telling apart by a context, :func:`N_` to mark a text
kept in a table and turned into a message later with :func:`t`). Then extract and update the
catalogs and write the translation into ``src/dangjian/locale/en/LC_MESSAGES/dangjian.po``
(the commands are in docs/translating.md); a test fails while a marked message is missing from
the English catalog or has no translation there.

**Adding a language.** Copy the English ``.po`` to ``<lang>/LC_MESSAGES/dangjian.po``
(``pybabel init``), translate it, and either put it under ``src/dangjian/locale`` (it is then
built into the wheel) or in any directory named by the environment variable
``DANGJIAN_LOCALEDIR`` (several, separated by ``os.pathsep``) or passed as ``localedir``: no
code changes; ``--lang <lang>`` and ``render("<lang>")`` then use it. A language with no catalog
is an error (:class:`UnknownLanguage`), except Chinese, which the messages are written in.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

import attrs

__all__ = [
    "DOMAIN",
    "ENV_LOCALEDIR",
    "KEYWORDS",
    "N_",
    "PACKAGE_LOCALEDIR",
    "SOURCE_LANGUAGE",
    "Language",
    "Message",
    "UnknownLanguage",
    "available_languages",
    "bilingual",
    "clear_cache",
    "given",
    "mapped",
    "render",
    "rendered_by",
    "t",
    "tn",
    "tp",
    "translations",
]

Language: TypeAlias = str
"""The name of a catalog (``"zh"``, ``"en"``, or one dropped in); ``"zh"`` is the default."""

DOMAIN = "dangjian"
"""The gettext domain: catalogs are ``<dir>/<lang>/LC_MESSAGES/dangjian.po`` (or ``.mo``)."""

SOURCE_LANGUAGE: Language = "zh"
"""The language the messages are written in: it needs no catalog."""

ENV_LOCALEDIR = "DANGJIAN_LOCALEDIR"
"""The environment variable naming more catalog directories, searched before the package's."""

PACKAGE_LOCALEDIR = Path(__file__).parent / "locale"
"""The catalogs that come with dangjian."""

KEYWORDS: Mapping[str, tuple[int | tuple[int, str], ...]] = {
    "t": (1,),
    "tn": (1, 2),
    "tp": ((1, "c"), 2),
    "N_": (1,),
}
"""The functions that mark a message, as babel's extraction keywords (``-k t -k tn:1,2 …``)."""


class UnknownLanguage(LookupError):
    """A language was asked for that has no catalog in any catalog directory."""

    def __init__(self, lang: str, dirs: Sequence[Path]) -> None:
        self.lang = lang
        self.dirs = tuple(dirs)
        known = ", ".join(_languages_in(dirs))
        where = os.pathsep.join(str(d) for d in dirs)
        super().__init__(
            f"no catalog for language {lang!r} (looked in {where}; set {ENV_LOCALEDIR} to add "
            f"a directory); the languages available are: {known}"
        )


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction and give it back unchanged (for texts kept in tables)."""
    return msgid


@attrs.frozen
class _Rare:
    """The fields of a :class:`Message` that most messages lack, kept apart so that the common
    message (a ``msgid`` and its parameters) is small and quick to make."""

    plural: str | None = None
    n: int | None = None
    context: str | None = None
    texts: tuple[tuple[str, str], ...] | None = None
    change: Callable[[str], str] | None = None
    by: Callable[[Language], str] | None = None


@attrs.frozen(repr=False)
class Message:
    """A text to show, not yet in any language: its Chinese ``msgid`` and its parameters.

    Attributes:
        msgid: The Chinese text, a ``str.format`` template with named placeholders.
        params: The values of the placeholders, as ``(name, value)`` pairs in the order given;
            a value that is a :class:`Message` is rendered in the language of the message
            around it. Values should be hashable (text, numbers, messages, tuples). They are
            kept as one flat tuple, the names then the values (a check makes hundreds of
            thousands of messages, and a tuple for each pair would be as many objects more for
            the garbage collector to walk).
        plural: The plural ``msgid`` (for :func:`tn`), or ``None``.
        n: The count that chooses the plural form.
        context: The gettext context (``msgctxt``), for the same Chinese said apart.
        texts: For a message given in fixed texts (:func:`given`), the ``(language, text)``
            pairs; ``msgid`` is then its Chinese text.
        change: For a message made by :func:`mapped`, what is done to the text of the
            message in ``params`` once it is rendered.
        by: For a message made by :func:`rendered_by`, what renders it in a language.

    Make one with :func:`t`, :func:`tn`, :func:`tp` or :func:`given`. ``str(message)`` is the
    Chinese text.
    """

    msgid: str
    _args: tuple[object, ...] = ()
    """The names of the parameters, then their values."""
    _rare: _Rare | None = None
    """The fields below, for the few messages that have any, else ``None``."""

    @property
    def params(self) -> tuple[tuple[str, object], ...]:
        """The parameters, as ``(name, value)`` pairs in the order given."""
        args = self._args
        half = len(args) // 2
        return tuple(zip(args[:half], args[half:], strict=True))  # type: ignore[arg-type]

    @property
    def rare(self) -> _Rare | None:
        """The fields that most messages lack, or ``None``."""
        return self._rare

    @property
    def plural(self) -> str | None:
        """The plural ``msgid`` (for :func:`tn`), or ``None``."""
        return None if self._rare is None else self._rare.plural

    @property
    def n(self) -> int | None:
        """The count that chooses the plural form."""
        return None if self._rare is None else self._rare.n

    @property
    def context(self) -> str | None:
        """The gettext context (``msgctxt``)."""
        return None if self._rare is None else self._rare.context

    @property
    def texts(self) -> tuple[tuple[str, str], ...] | None:
        """For a message given in fixed texts, the ``(language, text)`` pairs."""
        return None if self._rare is None else self._rare.texts

    @property
    def change(self) -> Callable[[str], str] | None:
        """For a message made by :func:`mapped`, what is done to the text once rendered."""
        return None if self._rare is None else self._rare.change

    @property
    def by(self) -> Callable[[Language], str] | None:
        """For a message made by :func:`rendered_by`, what renders it in a language."""
        return None if self._rare is None else self._rare.by

    def render(self, lang: Language = SOURCE_LANGUAGE, localedir: LocaleDirs = None) -> str:
        """The message in ``lang``: its translation, with its parameters filled in.

        Raises:
            UnknownLanguage: There is no catalog for ``lang``.
        """
        return self._in(translations(lang, localedir), lang)

    def _in(self, tr: gettext.NullTranslations, lang: Language) -> str:
        """The message rendered with the translations ``tr`` of ``lang``."""
        rare = self._rare
        if rare is None:
            template = tr.gettext(self.msgid)
        elif rare.by is not None:
            return rare.by(lang)
        elif rare.change is not None:
            inner = self._args[1]
            assert isinstance(inner, Message)
            return rare.change(inner._in(tr, lang))
        elif rare.texts is not None:
            return dict(rare.texts).get(lang, self.msgid)
        elif rare.plural is not None:
            n = rare.n if rare.n is not None else 1
            if rare.context is None:
                template = tr.ngettext(self.msgid, rare.plural, n)
            else:
                template = tr.npgettext(rare.context, self.msgid, rare.plural, n)
        elif rare.context is None:
            template = tr.gettext(self.msgid)
        else:
            template = tr.pgettext(rare.context, self.msgid)
        args = self._args
        half = len(args) // 2
        values = {
            k: v._in(tr, lang) if isinstance(v, Message) else v
            for k, v in zip(args[:half], args[half:], strict=True)
        }
        return template.format(**values)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return self.render(SOURCE_LANGUAGE)

    def __repr__(self) -> str:
        return (
            f"Message(msgid={self.msgid!r}, params={self.params!r}, plural={self.plural!r}, "
            f"n={self.n!r}, context={self.context!r}, texts={self.texts!r}, "
            f"change={self.change!r}, by={self.by!r})"
        )


# t() makes most of the messages of a check (hundreds of thousands): it fills the slots of a
# new message directly, as attrs' __init__ would, without its per-field calls
_new = object.__new__
_set_msgid = Message.__dict__["msgid"].__set__
_set_args = Message.__dict__["_args"].__set__
_set_rare = Message.__dict__["_rare"].__set__


def t(msgid: str, /, **params: object) -> Message:
    """The message ``msgid`` (Chinese, with ``{named}`` placeholders) with its parameters."""
    message = _new(Message)
    _set_msgid(message, msgid)
    _set_args(message, (*params, *params.values()))
    _set_rare(message, None)
    return message


def tn(msgid: str, plural: str, n: int, /, **params: object) -> Message:
    """The message for a count ``n``: gettext's ``ngettext``; ``{n}`` is available to both forms.

    Chinese does not inflect, so ``msgid`` and ``plural`` are usually the same text.
    """
    return Message(msgid, ("n", *params, n, *params.values()), _Rare(plural=plural, n=n))


def tp(context: str, msgid: str, /, **params: object) -> Message:
    """The message ``msgid`` in a ``context`` (``msgctxt``): the same Chinese translated apart."""
    return Message(msgid, (*params, *params.values()), _Rare(context=context))


def given(texts: Mapping[str, str]) -> Message:
    """A message already written in its languages (``{"zh": …, "en": …}``), not in a catalog.

    For text that is not dangjian's own (a rule's title written in its rule file) and for code
    that still writes both languages itself. A language it is not given in shows its Chinese.
    """
    return Message(texts[SOURCE_LANGUAGE], (), _Rare(texts=tuple(texts.items())))


def bilingual(zh: str, en: str | None = None) -> Message:
    """The older two-text form of a message, ``zh`` and ``en`` (``zh`` when ``en`` is ``None``),
    as :func:`given` makes it."""
    return given({"zh": zh, "en": zh if en is None else en})


def rendered_by(render: Callable[[Language], str], /) -> Message:
    """A message that something else renders in each language, such as a period's name
    (``period.label``), itself written through the catalogs: ``render(lang)`` is its text.

    >>> from dangjian.periods import Period
    >>> m = rendered_by(Period.parse("2020-05").label)
    >>> m.render(), m.render("en")
    ('2020年5月', 'May 2020')
    """
    return Message(SOURCE_LANGUAGE, (), _Rare(by=render))


def mapped(message: Message, change: Callable[[str], str]) -> Message:
    """``message`` with ``change`` applied to its text, in whichever language it is rendered
    (to mask what it quotes, or to rewrite the places it names)."""
    return Message(message.msgid, ("message", message), _Rare(change=change))


LocaleDirs: TypeAlias = str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None


def _dirs(localedir: LocaleDirs) -> tuple[Path, ...]:
    """The catalog directories, most preferred first: ``localedir``, the environment
    variable's, the package's."""
    found: list[Path] = []
    if isinstance(localedir, str | os.PathLike):
        found.append(Path(localedir))
    elif localedir is not None:
        found += [Path(d) for d in localedir]
    found += [Path(d) for d in os.environ.get(ENV_LOCALEDIR, "").split(os.pathsep) if d]
    found.append(PACKAGE_LOCALEDIR)
    return tuple(found)


_STALE = 60.0
"""How much newer (seconds) a ``.po`` must be than its ``.mo`` for the ``.mo`` to count as stale.

An installer writes both files of a wheel at about the same time, in no set order; a ``.po``
edited after a ``pybabel compile`` in a source tree is newer by more than that."""


def _catalog_file(directory: Path, lang: str) -> Path | None:
    """The compiled catalog of ``lang`` in ``directory`` unless its source is clearly newer,
    else the ``.po``; ``None`` when neither is there."""
    base = directory / lang / "LC_MESSAGES" / DOMAIN
    mo, po = base.with_suffix(".mo"), base.with_suffix(".po")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime + _STALE >= po.stat().st_mtime):
        return mo
    return po if po.is_file() else None


@functools.lru_cache(maxsize=64)
def _load(path: Path, mtime: float) -> gettext.GNUTranslations:
    if path.suffix == ".mo":
        data = path.read_bytes()
    else:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with path.open("rb") as f:
            catalog = read_po(f)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
        data = buffer.getvalue()
    return gettext.GNUTranslations(io.BytesIO(data))


def translations(lang: Language, localedir: LocaleDirs = None) -> gettext.NullTranslations:
    """The gettext translations of ``lang``: its catalog in the first directory that has one.

    Chinese, the language the messages are written in, needs no catalog (a ``zh`` catalog, when
    one is given, still rewords). Which file serves a language is looked up once for each set
    of directories; :func:`clear_cache` forgets it (after a catalog is changed while running).

    Raises:
        UnknownLanguage: There is no catalog for ``lang``.
    """
    place: object = localedir
    if localedir is not None and not isinstance(localedir, str | os.PathLike):
        place = tuple(localedir)
    key = (lang, place, os.environ.get(ENV_LOCALEDIR))
    found = _FOUND.get(key)
    if found is None:
        found = _FOUND[key] = _find(lang, _dirs(localedir))
    return found


_FOUND: dict[tuple[str, object, str | None], gettext.NullTranslations] = {}


def clear_cache() -> None:
    """Forget which catalogs were found and what they hold."""
    _FOUND.clear()
    _load.cache_clear()


def _find(lang: Language, dirs: tuple[Path, ...]) -> gettext.NullTranslations:
    for d in dirs:
        path = _catalog_file(d, lang)
        if path is not None:
            return _load(path, path.stat().st_mtime)
    if lang == SOURCE_LANGUAGE:
        return _NULL
    raise UnknownLanguage(lang, dirs)


_NULL = gettext.NullTranslations()


def available_languages(localedir: LocaleDirs = None) -> tuple[Language, ...]:
    """The languages messages can be rendered in: Chinese and every catalog found, sorted
    with Chinese first."""
    return _languages_in(_dirs(localedir))


def _languages_in(dirs: Iterable[Path]) -> tuple[Language, ...]:
    langs = {SOURCE_LANGUAGE}
    for d in dirs:
        if d.is_dir():
            langs.update(p.name for p in d.iterdir() if _catalog_file(d, p.name))
    return (SOURCE_LANGUAGE, *sorted(langs - {SOURCE_LANGUAGE}))


def render(text: Message | str, lang: Language = SOURCE_LANGUAGE) -> str:
    """``text`` in ``lang``: a message rendered, a plain string as it is."""
    return text.render(lang) if isinstance(text, Message) else text
