"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader still expands aliases without limit and silently keeps the last of two
duplicate keys; this reader rejects both, caps size and node count, and returns a map from each
key path to its line and column so that validation errors can point into the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from digibrief.errors import Problem
from digibrief.project import kept

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000

Key = str | int
KeyPath = tuple[Key, ...]


@dataclass
class Located:
    """A parsed YAML document with the position of every value and key, and the digest of its bytes."""

    value: Any
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    digest: bytes = b""
    _texts: tuple[tuple[KeyPath, str], ...] | None = field(default=None, repr=False, compare=False)

    def texts(self) -> tuple[tuple[KeyPath, str], ...]:
        """strings(value): every text with its key path, found once (a parsed value is never changed;
        validation, the placeholder warnings and the sentences to re-read all walk it)."""
        if self._texts is None:
            self._texts = tuple(strings(self.value))
        return self._texts

    def where(self, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of path, or of its nearest ancestor that exists."""
        p = tuple(path)
        while True:
            if key and p in self.keys:
                return self.keys[p]
            if p in self.values:
                return self.values[p]
            if not p:
                return (1, 1)
            p = p[:-1]


_Parser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)  # libyaml, when PyYAML has it


class _Checks(yaml.composer.Composer):
    """Composition that refuses anchors and aliases and counts nodes (over either event source)."""

    node_count = 0

    if TYPE_CHECKING:  # provided by the parser each loader combines with

        def check_event(self, *choices: Any) -> bool: ...

        def peek_event(self) -> Any: ...

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in digibrief data", event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors (&name) are not allowed in digibrief data", event.start_mark
            )
        self.node_count += 1
        if self.node_count > MAX_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"too many values (more than {MAX_NODES})", event.start_mark
            )
        return super().compose_node(parent, index)


_STR = "tag:yaml.org,2002:str"


class _Loader(_Checks, yaml.SafeLoader):
    """The pure-Python loader: its reader refuses every character YAML does not allow."""


class _FastLoader(_Checks, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """libyaml's events (about five times faster to scan) composed here, with the same checks."""

    def __init__(self, stream: str) -> None:
        self._events = _Parser(stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def check_event(self, *choices: Any) -> bool:
        return bool(self._events.check_event(*choices))

    def peek_event(self) -> Any:
        return self._events.peek_event()

    def get_event(self) -> Any:
        return self._events.get_event()

    def dispose(self) -> None:
        self._events.dispose()


# libyaml's events composed by libyaml, for a text with no anchor or alias in it (_Checks' other check,
# the count of nodes, is _count_nodes)
_Composer: Any = getattr(getattr(yaml, "cyaml", None), "CSafeLoader", None) if _Parser is not None else None


class _Anchored(Exception):
    """libyaml composed a node that an anchor, an alias or a tag may start: compose here instead."""


def _count_nodes(root: yaml.Node | None) -> None:
    """Refuse more than MAX_NODES nodes, as _Checks does while composing: counted in the same order, so
    that the same node is named (once a count by collection has found too many)."""
    if root is None or _total(root) <= MAX_NODES:
        return
    count = 0
    todo = [root]
    while todo:
        node = todo.pop()
        count += 1
        if count > MAX_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"too many values (more than {MAX_NODES})", node.start_mark
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                todo += (value, key)
        elif isinstance(node, yaml.SequenceNode):
            todo += reversed(node.value)


def _signed(root: yaml.Node | None, text: str) -> bool:
    """True if a node of root starts at '&', '*' or '!' in text: an anchor, an alias, or a tag that
    may come before an anchor (libyaml starts a node at the first of them)."""
    signs = {m.start() for m in _SIGNS.finditer(text)}
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop()
        if node.start_mark.index in signs:
            return True
        if isinstance(node, yaml.MappingNode):
            todo += [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            todo += node.value
    return False


_SIGNS = re.compile("[&*!]")


def _total(root: yaml.Node) -> int:
    """How many nodes root holds, itself included: counted by collection, not node by node."""
    total = 1
    todo = [root]
    scalar = yaml.ScalarNode
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.MappingNode):
            total += 2 * len(node.value)
            todo += [n for pair in node.value for n in pair if n.__class__ is not scalar]
        elif isinstance(node, yaml.SequenceNode):
            total += len(node.value)
            todo += [n for n in node.value if n.__class__ is not scalar]
    return total


# what the pure-Python reader accepts (yaml.reader.Reader.NON_PRINTABLE, inverted)
_PRINTABLE = re.compile("[\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
_SCALAR_TAGS_AS_TEXT = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"}


def _decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text without a byte-order mark, or None and the line and column of the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            Problem(
                name, line, col, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
            )
        ]
    return text, []


def strings(value: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every text under a parsed value, with its key path, in document order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict | list):
        found: list[tuple[KeyPath, str]] = []
        _gather(value, path, found)
        yield from found


def _gather(value: dict[Key, Any] | list[Any], path: KeyPath, found: list[tuple[KeyPath, str]]) -> None:
    """strings' walk of a mapping or list, appending to found."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(item, str):
            found.append(((*path, key), item))
        elif isinstance(item, dict | list):
            _gather(item, (*path, key), found)


# each file's parse in a warm process, by its name and the digest of its bytes (project/kept.py)
_PARSED: kept.Kept[tuple[Located | None, tuple[Problem, ...]]] = kept.Kept()


def read(path: Path, name: str | None = None) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML file; on failure return None and the located problems. A warm process parses a
    file again only when its bytes have changed."""
    name = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(name, 0, 0, "", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 0, 0, "", f"cannot read: {exc.strerror or exc}")]
    version = kept.digest(raw)
    if (found := _PARSED.get(name, version)) is not None:
        return found[0], list(found[1])
    located, problems = parse(raw, name, version)
    _PARSED.put(name, version, (located, tuple(problems)))
    return located, problems


def parse(raw: bytes, name: str, digest: bytes = b"") -> tuple[Located | None, list[Problem]]:
    """Parse YAML bytes named name (used in messages)."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(name, 0, 0, "", f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")]
    text, problems = _decode(raw, name)
    if text is None:
        return None, problems
    loader = None
    try:
        # libyaml accepts a few characters that YAML forbids; the pure-Python reader reports them
        fast = _Parser is not None and _PRINTABLE.fullmatch(text)
        node, loader = _composed_by_libyaml(text) if fast and _Composer is not None else (None, None)
        if loader is None:
            loader = _FastLoader(text) if fast else _Loader(text)
            node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return None, [Problem(name, line, col, "", f"the character U+{ord(char):04X} is not allowed in YAML")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if "'\\t'" in message:
            message = "a tab character here; YAML is indented with spaces only"
        return None, [Problem(name, line, col, "", f"YAML syntax: {message}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 0, 0, "", f"YAML syntax: {exc}")]
    except RecursionError:
        return None, [Problem(name, 0, 0, "", "nested too deeply")]
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, [Problem(name, 1, 1, "", "file is empty; expected a mapping of keys to values")]
    located = Located(None, digest=digest or kept.digest(raw))
    problems = []
    try:
        located.value = _Converter(located, problems, name, loader).value(node, ())
    except RecursionError:
        return None, [Problem(name, 0, 0, "", "nested too deeply")]
    return located, problems


def _composed_by_libyaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node composed by libyaml, with its loader, after the node-count check; (None,
    None) when a node may carry an anchor, an alias or a tag before an anchor, so that _Checks
    composes it and names the first one (no anchor or alias is written without its sign)."""
    signs = "&" in text or "*" in text
    loader = _Composer(text)
    try:
        node = loader.get_single_node()
        if signs and _signed(node, text):
            raise _Anchored
        _count_nodes(node)
    except BaseException as exc:
        loader.dispose()
        if signs and isinstance(exc, _Anchored | yaml.YAMLError | RecursionError):
            return None, None
        raise
    return node, loader


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# what a constructor raises for a scalar its tag cannot read (KeyError: !!bool of another word)
_UNREADABLE = (yaml.YAMLError, ValueError, TypeError, KeyError)
# the tags SafeConstructor makes a plain value of, from the scalar's text alone
_PLAIN_VALUE_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float"))


class _Converter:
    """parse's walk from node to value, recording where each value and key is; duplicate keys and
    tags are problems."""

    def __init__(self, located: Located, problems: list[Problem], name: str, loader: Any) -> None:
        self.located, self.problems, self.name, self.loader = located, problems, name, loader
        self.constructors = loader.yaml_constructors

    def value(self, node: yaml.Node, path: KeyPath) -> Any:
        """The Python value of node at path."""
        mark = node.start_mark
        self.located.values[path] = (mark.line + 1, mark.column + 1)
        tag = node.tag
        kind = node.__class__
        if kind is yaml.ScalarNode and tag == _STR:
            return node.value
        if tag not in self.constructors:
            self._problem(node, path, f"YAML tags such as '{tag}' are not allowed")
            return None
        if kind is yaml.MappingNode or (kind is not yaml.SequenceNode and isinstance(node, yaml.MappingNode)):
            # here, not in a method of its own: one frame for each level of nesting, as before
            result: dict[Key, Any] = {}
            keys, values, scalar = self.located.keys, self.located.values, yaml.ScalarNode
            for key_node, value_node in node.value:
                # a text key, and a text value, read here as _key and value() read them
                text_key = key_node.__class__ is scalar and key_node.tag == _STR
                key = key_node.value if text_key else self._key(key_node, path)
                if key is None:
                    continue
                at = (*path, key)
                if key in result:
                    self._problem(key_node, at, f"duplicate key (first defined at line {keys[at][0]})")
                    continue
                mark = key_node.start_mark
                keys[at] = (mark.line + 1, mark.column + 1)
                if value_node.__class__ is scalar and value_node.tag == _STR:
                    mark = value_node.start_mark
                    values[at] = (mark.line + 1, mark.column + 1)
                    result[key] = value_node.value
                else:
                    result[key] = self.value(value_node, at)
            return result
        if kind is yaml.SequenceNode or isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        if tag in _SCALAR_TAGS_AS_TEXT:
            return str(node.value)
        try:
            return self._scalar(node, tag)
        except _UNREADABLE:
            self._problem(node, path, f"'{node.value}' cannot be read as {tag.rsplit(':', 1)[-1]}")
            return None

    def _problem(self, node: yaml.Node, path: KeyPath, message: str) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.name, line, col, dotted(path), message))

    def _scalar(self, node: yaml.Node, tag: str, deep: bool = True) -> Any:
        """What SafeConstructor makes of a scalar node: a null, bool, int or float by its constructor
        alone (construct_object's bookkeeping is for collections), any other tag by construct_object."""
        if tag in _PLAIN_VALUE_TAGS and node.__class__ is yaml.ScalarNode:
            return self.constructors[tag](self.loader, node)
        return self.loader.construct_object(node, deep=deep)

    def _key(self, node: yaml.Node, path: KeyPath) -> Key | None:
        """A mapping key as text or a whole number (so years stay numbers); None, recorded, if not a
        plain scalar."""
        tag = node.tag
        if not isinstance(node, yaml.ScalarNode) or tag not in self.constructors:
            self._problem(node, path, "a key must be a plain word or number")
            return None
        try:
            value = self._scalar(node, tag, deep=False) if tag not in _SCALAR_TAGS_AS_TEXT else node.value
        except _UNREADABLE:
            value = node.value
        if isinstance(value, bool) or value is None or not isinstance(value, str | int):
            return str(node.value)
        return value


def dotted(path: KeyPath) -> str:
    """A key path as messages print it: indicators.internet_users.2022."""
    return ".".join(str(p) for p in path)
