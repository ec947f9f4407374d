"""The data: one department-year's extracted figures, read from a folder or a workbook, validated, written back.

- ``model``: the department-year (frozen dataclasses; every figure a :class:`~auditkit.data.numbers.Number`);
- ``numbers``: numbers as printed in Chinese budget documents, read (``parse_number``) and written (``wan``, ``pct``);
- ``schema``: every field and table, its Chinese header, file and sheet: the one source of both forms;
- ``raw``, ``folder``, ``workbook``: cells as read from ``department.yaml`` + CSV, or from an .xlsx;
- ``validate``: raw cells to the model, every problem at once; ``loading``: the entry points (``load``, ``validate``);
- ``serialize``: the model back to cells; ``newyear``: next year's scaffold; ``prior_year``: last year linked.
"""
