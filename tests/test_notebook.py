"""auditkit.report.notebook: what each helper puts in the executed notebook: escaped HTML, plain text, the tables'
data as a data resource, charts as PNG outputs of their own."""

from __future__ import annotations

import base64

import pandas as pd
from IPython.utils.capture import capture_output

from auditkit.data.model import TextItem
from auditkit.report.notebook import DATA_RESOURCE, Report
from tests.conftest import SAMPLES


def _outputs(action) -> list:  # type: ignore[no-untyped-def,type-arg]
    """What ``action`` displays, captured as a kernel's shell would publish it."""
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.instance()
    with capture_output() as captured:
        action()
    return captured.outputs


def test_a_table_carries_its_figures_as_data_beside_the_html() -> None:
    """003 表3: 合计 决算 13,867.60 万元; a missing figure is null, never 0; the caption is the plain text."""
    report = Report(SAMPLES["shaoguan-rsj"])
    frame = pd.DataFrame({"项目": ["基本支出", "合计"], "决算": [2474.88, 13867.60], "上年决算": [float("nan"), float("nan")]})
    [output] = _outputs(lambda: report.table(frame, "部门支出预决算情况表"))
    assert output.data["text/plain"].splitlines() == ["表1 部门支出预决算情况表（单位：万元）", "项目 | 决算 | 上年决算",
                                                      "基本支出 | 2,474.88 | —", "合计 | 13,867.60 | —"]
    assert "13,867.60" in output.data["text/html"]
    resource = output.data[DATA_RESOURCE]
    assert [f["name"] for f in resource["schema"]["fields"]] == ["项目", "决算", "上年决算"]
    assert resource["data"][1] == {"项目": "合计", "决算": 13867.6, "上年决算": None}
    assert "pandas_version" not in resource["schema"]  # a library's version would make goldens change on upgrade


def test_a_chart_is_a_png_output_with_its_caption_not_html() -> None:
    from matplotlib.figure import Figure

    report = Report(SAMPLES["shaoguan-rsj"])
    figure = Figure()
    figure.add_subplot().bar(["基本支出"], [2474.88])
    [output] = _outputs(lambda: report.figure(figure, "支出预算与决算对比"))
    assert "text/html" not in output.data
    assert output.data["text/plain"] == "图1 支出预算与决算对比"
    assert output.metadata["auditkit"]["caption"] == "图1 支出预算与决算对比"
    png = base64.b64decode(output.data["image/png"])
    assert png.startswith(b"\x89PNG") and b"Matplotlib version" not in png  # no version stamp in the bytes


def test_numbered_items_count_past_ten_in_chinese() -> None:
    """004 一（一）1: eleven duties, numbered （一）…（十一）, never （十）…（11）."""
    items = [TextItem("职能", f"职责{n}") for n in range(1, 12)]
    [output] = _outputs(lambda: Report.numbered(items))
    assert "（十）职责10" in output.data["text/plain"] and "（十一）职责11" in output.data["text/plain"]
    assert "（11）" not in output.data["text/html"]


def test_text_from_data_is_escaped_and_kept_verbatim_in_plain_text() -> None:
    [output] = _outputs(lambda: Report.paragraphs(["<script>alert(1)</script> 决算 13,867.60"]))
    assert "<script>" not in output.data["text/html"] and "&lt;script&gt;" in output.data["text/html"]
    assert output.data["text/plain"] == "<script>alert(1)</script> 决算 13,867.60"
