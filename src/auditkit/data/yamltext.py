"""YAML read without YAML 1.1's guesses (issue 16, cases 6 and 9).

PyYAML's ``safe_load`` follows YAML 1.1: unquoted ``012`` is 10 (octal), ``26:30`` is 1590 (sexagesimal), ``0x1F`` is
31, ``2670.60`` the float 2670.6 (its printed precision lost), and ``2020-02-30`` or ``!!int x`` raise a bare
ValueError while the value is built. auditkit reads its YAML two ways instead:

- :func:`compose_text`: every scalar as its source text (``yaml.BaseLoader``), for ``department.yaml``, whose values
  auditkit's own parsers read by each field's kind (numbers at their printed precision, dates by ISO 8601);
- :func:`load_core`: YAML 1.2's core schema (decimal integers, decimal floats kept exact as :class:`~decimal.Decimal`,
  ``true``/``false``, ``null``; no octal, hexadecimal, sexagesimal or dates), for framework files, whose structure
  has types; a value that cannot be built raises :class:`YamlValueError`, never a bare ValueError.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from auditkit.exceptions import YamlValueError

__all__ = ["NULLS", "STR_TAG", "compose_text", "load_core", "short_tag"]

#: The tag every scalar has under ``yaml.BaseLoader`` unless the text gave one explicitly (``!!int 3``).
STR_TAG = "tag:yaml.org,2002:str"
#: Plain (unquoted) scalars that mean "no value".
NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:int`` as it is written: ``!!int``."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def compose_text(text: str) -> yaml.Node | None:
    """The document's node tree with every scalar as its source text (raises ``yaml.YAMLError`` on bad syntax)."""
    return yaml.compose(text, Loader=yaml.BaseLoader)


class _CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2's core schema: what a framework file means by ``30``, ``1.5``, ``true`` and ``null``."""


_CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if len(text.lstrip("+-")) > 30:
        raise yaml.constructor.ConstructorError(None, None, f"整数 {text[:20]}… 有 {len(text)} 位，过大", node.start_mark)
    try:
        return int(text, 10)
    except ValueError:
        raise yaml.constructor.ConstructorError(None, None, f"「{text}」不是十进制整数", node.start_mark) from None


def _float(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise yaml.constructor.ConstructorError(None, None, f"「{text}」不是数字", node.start_mark) from None
    if not value.is_finite():
        raise yaml.constructor.ConstructorError(None, None, f"「{text}」不是有限数字", node.start_mark)
    return value


_CoreLoader.add_constructor("tag:yaml.org,2002:int", _int)
_CoreLoader.add_constructor("tag:yaml.org,2002:float", _float)


def load_core(text: str) -> Any:
    """The document under YAML 1.2's core schema; ``yaml.YAMLError`` for bad syntax, :class:`YamlValueError` for a
    scalar that cannot be built (an impossible ``!!timestamp``, a 5000-digit integer)."""
    try:
        return yaml.load(text, Loader=_CoreLoader)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlValueError(mark.line + 1 if mark else None, str(exc.problem)) from None
    except (ValueError, OverflowError, TypeError) as exc:  # a bad !!timestamp, !!binary …
        raise YamlValueError(None, f"无法读取：{exc}") from None
