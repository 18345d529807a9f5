"""Hostile json files and imports: refused at the boundary with the place named, or stored
deliberately; never an internal error, a loop, or a half-written database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.services.errors import InputError
from app.services.formats.file_io import read_file
from app.services.formats.importing import OnConflict, commit_documents
from app.services.formats.json_format import read_json, write_json
from app.services.storage.documents import load_documents
from app.services.storage.store import Store

GOOD = Path(__file__).resolve().parent / "fixtures" / "good_document.json"


def _good() -> dict:
    return json.loads(GOOD.read_text(encoding="utf-8"))


def _write(tmp_path: Path, payload: object, name: str = "bad.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(payload), encoding="utf-8")  # \\ud800 stays an escape
    return path


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(InputError) as err:
        read_json(path)
    msg = err.value.message
    assert f"“{path}”" in msg and "\n" not in msg, msg
    for w in words:
        assert w in msg, msg
    return msg


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda d: d.__setitem__("documents", 5), ["documents", "应为数组"]),
        (lambda d: d["documents"][0]["unit"].__setitem__("region_code", 130209), ["unit.region_code", "应为文本"]),
        (lambda d: d["documents"][0]["projects"][0].__setitem__("seq", {"a": 1}), ["projects[1].seq", "应为整数"]),
        (lambda d: d["documents"][0].__setitem__("year", 10**15), ["year", "超出范围"]),
        (lambda d: d["documents"][0].__setitem__("year", "2025"), ["year", "应为整数"]),
        (lambda d: d["documents"][0].__setitem__("has_part1", "false"), ["has_part1"]),
        (lambda d: d["documents"][0].__setitem__("profile", "zz"), ["profile", "未知的规则配置"]),
        (lambda d: d["documents"][0]["projects"][0].__setitem__("name", "\ud800"), ["projects[1].name", "Unicode"]),
        (lambda d: d["documents"][0]["projects"][0].__setitem__("name", "x" * 200_000), ["文本过长"]),
        (lambda d: d["documents"].append(d["documents"][0]), ["documents[2]", "出现了两次"]),
        (lambda d: d["documents"][0].__setitem__("waivers", [{"rule": "G08", "project": -1}]), ["waivers[1].project", "超出范围"]),
        (lambda d: d["documents"][0]["projects"].extend([{}] * 5001), ["projects", "条目过多"]),
    ],
)
def test_wrong_shapes_are_refused_with_their_json_path(tmp_path: Path, edit, words) -> None:
    data = _good()
    edit(data)
    _refused(_write(tmp_path, data), *words)


def test_numbers_and_nesting_the_format_never_writes(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"format": "perfgoals", "version": 1, "documents": [], "x": ' + "9" * 5000 + "}")
    _refused(big, "数字")
    deep = tmp_path / "deep.json"
    deep.write_text('{"format": "perfgoals", "version": 1, "documents": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _refused(deep, "嵌套")
    version = tmp_path / "version.json"
    version.write_text('{"format": "perfgoals", "version": true, "documents": []}')
    _refused(version, "格式版本")


def test_wrong_type_gives_one_line_and_no_sql(tmp_path: Path, db_path: Path, capsys) -> None:
    data = _good()
    data["documents"][0]["projects"][0]["seq"] = {"sql": "boom"}
    path = _write(tmp_path, data)
    assert main(["import", str(path), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "seq" in err and "INSERT" not in err


def test_own_export_of_one_unit_with_two_years_imports_as_copy(tmp_path: Path) -> None:
    """The export of one unit with two years, imported with copy into a database without
    that unit, used to loop until memory ran out."""
    data = _good()
    second = json.loads(json.dumps(data["documents"][0]))
    second["year"] = second["year"] + 1
    data["documents"].append(second)
    path = _write(tmp_path, data, "two_years.json")
    store = Store.open(tmp_path / "a.db")
    try:
        docs = read_json(path)
        result = commit_documents(store, docs, OnConflict.COPY, source=path.name)
        assert result.documents == 2 and result.projects_copied == 0
        stored = load_documents(store, None, None)
        assert sorted(d.year for d in stored) == [2025, 2026]
        assert [len(d.projects) for d in stored] == [len(data["documents"][0]["projects"])] * 2
        again = commit_documents(store, read_json(path), OnConflict.COPY, source=path.name)
        assert again.projects_copied == 2 * len(data["documents"][0]["projects"])
        out = tmp_path / "out.json"
        write_json(out, load_documents(store, None, None))
        assert len(read_file(out).documents) == 2
    finally:
        store.close()


def test_unknown_profile_never_reaches_the_database(tmp_path: Path, db_path: Path) -> None:
    docs = read_json(GOOD)
    docs[0].profile = "zz"
    store = Store.open(db_path)
    try:
        with pytest.raises(InputError, match="未知的规则配置"):
            commit_documents(store, docs, source="x.json")
        assert load_documents(store, None, None) == []
    finally:
        store.close()
