"""Chinese glyphs in charts on any machine: register a CJK font that ships with a Python package.

matplotlib's bundled DejaVu fonts have no CJK glyphs (labels draw as boxes with "Glyph … missing" warnings).
``mplfonts`` (a PyPI dependency) carries Noto Sans CJK SC (SIL Open Font Licence); registering that one file
costs a few tens of milliseconds and needs no system font.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["CJK_FONT_FILE", "use_cjk_font"]

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"


def _font_path() -> Path:
    import mplfonts  # imported here: only charts pay for it

    return Path(mplfonts.__file__).parent / "fonts" / CJK_FONT_FILE


@functools.cache
def use_cjk_font() -> str:
    """Register Noto Sans CJK SC and make it matplotlib's default sans-serif font; return its family name."""
    path = _font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [family, *mpl.rcParams["font.sans-serif"]]
    mpl.rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212 glyph at every weight
    return family
