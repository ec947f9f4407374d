"""auditkit.report.fonts: a chart with Chinese labels renders with no missing-glyph warning on a fresh machine."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from auditkit.report.fonts import use_cjk_font


def test_chinese_labels_render_without_missing_glyphs() -> None:
    family = use_cjk_font()
    assert "CJK" in family
    fig, ax = plt.subplots()
    ax.bar(["基本支出", "项目支出"], [2474.88, 11392.72])
    ax.set_title("支出预决算（万元）−2.11%")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would raise here
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
