"""The analyses: plain functions from a department-year to DataFrames and findings, no I/O.

- ``metrics``: every formula of the field, defined once (over exact numbers and intervals alike);
- ``intervals``: interval arithmetic over printed figures (for the reconciliation);
- ``frames``: the DataFrame conventions every analysis returns;
- ``budget``: 预决算差异 and budget execution; ``kpi``: 绩效目标完成情况; ``costs``: 成本结构 and 三公经费;
  ``procurement``: 政府采购.
"""
