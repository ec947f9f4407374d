"""Text that lines up in a terminal: Chinese characters take two columns, so columns are padded by display width.

``len("部门")`` is 2 but a terminal gives it 4 columns; padding by ``len`` misaligns every table with Chinese in it.
"""

from __future__ import annotations

from wcwidth import wcswidth

__all__ = ["pad", "width"]


def width(text: str) -> int:
    """The columns a terminal gives ``text`` (a wide CJK character counts two; a non-printable one, one)."""
    measured = wcswidth(text)
    return measured if measured >= 0 else len(text)


def pad(text: str, columns: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``columns`` display columns (on the left when ``right``)."""
    fill = " " * max(columns - width(text), 0)
    return fill + text if right else text + fill
