"""The shared rule-data reader: every bad line names its source, line and field."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

from pipeline.errors import PipelineError
from pipeline.registry.jsonl import read_entries


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    weight: int = 1


def test_valid_lines_with_blanks_and_comments() -> None:
    lines = ['{"name": "a"}', "", "// a comment", '{"name": "b", "weight": 3}']
    assert [(n, e.name, e.weight) for n, e in read_entries(lines, "x.jsonl", _Entry)] == [(1, "a", 1), (4, "b", 3)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"name": "a",', "x.jsonl, line 2: not valid JSON"),
        ('["a"]', "x.jsonl, line 2: an entry must be a JSON object"),
        ('{"name": "a", "colour": "red"}', "x.jsonl, line 2, field 'colour'"),
        ('{"name": "a", "weight": "heavy"}', "x.jsonl, line 2, field 'weight'"),
        ("{}", "x.jsonl, line 2, field 'name'"),
    ],
)
def test_bad_line_is_E040_naming_source_line_and_field(line: str, expected: str) -> None:
    with pytest.raises(PipelineError) as err:
        list(read_entries(['{"name": "ok"}', line], "x.jsonl", _Entry))
    assert err.value.code == "E040"
    assert expected in err.value.message
