"""A griffe extension for the documentation site (``mkdocs.yml``): docstrings as Markdown.

The docstrings are written for ``help()`` and for doctest: cross-references as reST roles
(``:func:`~dangjian.check```) and examples as bare ``>>>`` lines. mkdocstrings reads Markdown, where
a role is literal text and a ``>>>`` line a triple block quote. Once griffe has loaded the whole
package, this rewrites each docstring, for the site only (the source stays as it is):

- a role whose target griffe finds (as written, or from the scope of the object whose docstring
  names it, as Sphinx would) becomes a cross-reference (``[`check`][dangjian.check]``): autorefs
  links it, and the strict build fails when the target is on no page;
- a role naming something outside the package (``datetime.date``) or private to it becomes plain
  code;
- a bare doctest becomes a ``pycon`` code block;
- a reST link (```Hypothesis <https://hypothesis.works>`_``) becomes a Markdown link, a
  ``.. versionadded::`` (``versionchanged``, ``deprecated``) a line in italics, and the ``::`` that
  ends a line before a literal block one colon;
- the entries of a class's ``Attributes:`` section become the docstrings of its attributes.

``tests/docs/test_site.py`` tests it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import griffe

ROLE = re.compile(
    r":(?:py:)?(?:mod|func|class|meth|attr|data|exc|obj|const):`"
    r"(?:(?P<title>[^`<]+?)\s*<(?P<target>[^`>]+)>|(?P<tilde>~?)(?P<name>[^`]+))`"
)
LINK = re.compile(r"`(?P<text>[^`<]+?)\s*<(?P<url>https?://[^>`]+)>`__?")
FENCE = re.compile(r"^\s*(```|~~~)")
VERSION = re.compile(
    r"^(?P<indent>[ \t]*)\.\. version(?P<what>added|changed|deprecated):: (?P<version>\S+)[ \t]*"
    r"(?P<rest>(?:\n(?P=indent)[ \t]+\S.*)*)",
    re.MULTILINE,
)
LITERAL = re.compile(r"(?<=\S)::$", re.MULTILINE)


def _lines_as_fenced_doctests(text: str) -> str:
    """``text`` with each run of bare doctest lines (up to a blank line not followed by another
    ``>>>`` line) put in a ``pycon`` code block, at its own indentation."""
    lines = text.split("\n")
    out: list[str] = []
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or not line.lstrip().startswith(">>>"):
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.append(f"{indent}```pycon")
        while i < len(lines):
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            following = i
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following < len(lines) and lines[following].lstrip().startswith(">>>"):
                out.extend(lines[i:following])
                i = following
                continue
            break
        out.append(f"{indent}```")
    return "\n".join(out)


def markdown(text: str, resolve: Callable[[str], str | None]) -> str:
    """The docstring ``text`` as Markdown; ``resolve`` gives the path a role's target names, or
    None when it is to stay plain code."""

    def role(match: re.Match[str]) -> str:
        if match["target"] is not None:
            title, target = match["title"].strip(), match["target"].strip()
        else:
            target = match["name"].strip().removesuffix("()")
            title = target.rsplit(".", 1)[-1] if match["tilde"] else target
        path = resolve(target.lstrip("."))
        return f"[`{title}`][{path}]" if path else f"`{title}`"

    def version(match: re.Match[str]) -> str:
        what = {"added": "Added", "changed": "Changed", "deprecated": "Deprecated"}[match["what"]]
        rest = " ".join(line.strip() for line in match["rest"].split("\n") if line.strip())
        said = f"*{what} in version {match['version']}*" + (f": {rest}" if rest else ".")
        return f"{match['indent']}{said}\n"

    text = ROLE.sub(role, text)
    text = LINK.sub(lambda m: f"[{m['text']}]({m['url']})", text)
    text = VERSION.sub(version, text)
    text = LITERAL.sub(":", text)
    return _lines_as_fenced_doctests(text)


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            yield from _objects(member)


class DocstringsAsMarkdown(griffe.Extension):
    """Rewrites the docstrings of a package once it is loaded (see the module's docstring)."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        for obj in list(_objects(pkg)):
            if isinstance(obj, griffe.Class):
                attributes_to_members(obj)
        for obj in _objects(pkg):
            if obj.docstring is not None:
                obj.docstring.value = markdown(obj.docstring.value, _resolver(obj, loader))


def attributes_to_members(cls: griffe.Class) -> None:
    """Each entry of the ``Attributes:`` section of ``cls``'s docstring becomes the docstring of
    the attribute it names, where that has none: the site shows each attribute once, with its
    declaration (an attrs field, with its Chinese label) and its description, and a
    cross-reference to it has a place to land (mkdocs.yml hides the section itself)."""
    if cls.docstring is None:
        return
    for section in cls.docstring.parse(griffe.Parser.google):
        if section.kind is not griffe.DocstringSectionKind.attributes:
            continue
        for item in section.value:
            member = cls.members.get(item.name)
            if isinstance(member, griffe.Object) and member.docstring is None:
                member.docstring = griffe.Docstring(item.description, parent=member)


def _resolver(scope: griffe.Object, loader: griffe.GriffeLoader) -> Callable[[str], str | None]:
    return lambda name: _resolve(name, scope, loader)


def _resolve(name: str, scope: griffe.Object, loader: griffe.GriffeLoader) -> str | None:
    """The public path of the package's object that ``name`` names from ``scope``, or None."""
    scopes: list[griffe.Object | None] = []
    current: griffe.Object | None = scope
    while current is not None:
        scopes.append(current)
        current = current.parent
    candidates = [f"{s.path}.{name}" for s in scopes if s is not None] + [name]
    for candidate in candidates:
        try:
            found = loader.modules_collection[candidate]
        except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        path = str(found.path)
        if any(part.startswith("_") and part != "__init__" for part in path.split(".")):
            return None
        return path
    return None
