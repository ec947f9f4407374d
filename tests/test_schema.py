"""auditkit.data.schema and auditkit.data.model agree: every column fills a model attribute, and nothing is left out."""

from __future__ import annotations

from dataclasses import MISSING, fields

from auditkit.data.model import DepartmentYear
from auditkit.data.schema import CLAIMS, FIELDS, SECTIONS, TABLES
from auditkit.data.validate import _ROW_CLASSES, _SECTION_CLASSES


def test_every_table_has_a_row_class_whose_fields_are_its_columns() -> None:
    assert set(_ROW_CLASSES) == set(TABLES)
    for name, table in TABLES.items():
        attrs = {f.name for f in fields(_ROW_CLASSES[name])}
        assert {c.attr for c in table.columns} <= attrs, name
        required = {f.name for f in fields(_ROW_CLASSES[name]) if f.default is MISSING and f.default_factory is MISSING}
        assert required <= {c.attr for c in table.columns if c.required}, name


def test_every_yaml_section_has_a_class_whose_fields_are_its_fields() -> None:
    assert set(_SECTION_CLASSES) == set(SECTIONS)
    for section, cls in _SECTION_CLASSES.items():
        attrs = {f.name for f in fields(cls)}
        assert attrs == {f.attr for f in FIELDS if f.section == section}, section


def test_department_year_holds_every_table_and_section() -> None:
    names = {f.name for f in fields(DepartmentYear)}
    assert set(TABLES) | set(SECTIONS) | {"origin", "warnings", "layout"} == names


def test_headers_are_unique_and_claims_are_named_in_chinese() -> None:
    for table in TABLES.values():
        headers = [c.header for c in table.columns]
        assert len(headers) == len(set(headers)), table.name
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in CLAIMS.values())
