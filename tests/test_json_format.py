"""The native JSON format: lossless both ways, and clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services.errors import InputError
from app.services.formats.importing import commit_documents
from app.services.formats.json_format import document_to_dict, dumps, read_json, write_json
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from tests.factories import blank_document, full_document


@pytest.mark.parametrize("factory", [full_document, blank_document])
def test_json_round_trip_through_file_and_database(tmp_path: Path, factory) -> None:
    first = Store.open(tmp_path / "a.db")
    commit_documents(first, [factory()])
    docs = load_documents(first)
    out = tmp_path / "out.json"
    write_json(out, docs)
    second = Store.open(tmp_path / "b.db")
    commit_documents(second, read_json(out))
    again = load_documents(second)
    assert [document_to_dict(d) for d in again] == [document_to_dict(d) for d in docs]
    assert dumps(again) == out.read_text(encoding="utf-8")
    first.close()
    second.close()


def test_json_keeps_raw_text_and_blanks(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    write_json(out, [full_document(), blank_document()])
    data = json.loads(out.read_text(encoding="utf-8"))
    p = data["documents"][0]["projects"][0]
    assert p["indicators"][1]["value_raw"] == "≥92%\n"
    assert p["indicators"][1]["level3"] == "对监管企业发展\n\n的影响"
    assert p["budget_fiscal_raw"] == "199.995"
    assert p["parsed"]["budget_fiscal"] == "199.995"
    blank = data["documents"][1]["projects"][0]
    assert blank["budget_total_raw"] is None and blank["parsed"]["budget_total"] is None
    assert data["documents"][0]["waivers"][0] == {
        "rule": "G08", "project": 1, "row": 2, "field": "value", "location": "P1/R2/value",
        "explanation": "按上级文件口径填写", "created_at": "2024-03-01T09:00:00",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "空文件"),
        (b"{not json", "不是有效的JSON"),
        (b'{"format": "other"}', "不是绩效目标编报导出的JSON"),
        (b'{"format": "perfgoals", "version": 99}', "格式版本"),
        (b'{"format": "perfgoals", "version": 1, "documents": [{"year": 2024}]}', r"documents\[1\]\.unit：应为对象"),
        (b"\xff\xfe\x00garbage{", "UTF-8"),
    ],
)
def test_bad_json_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_json(path)
    assert "bad.json" in info.value.message


def test_document_dict_is_stable() -> None:
    assert document_to_dict(full_document()) == document_to_dict(full_document())
