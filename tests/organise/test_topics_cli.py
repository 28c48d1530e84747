"""``tabayyun topics``: the JSONL contract, and one clear line for bad input."""
from __future__ import annotations

import json

import pytest

from tests.conftest import NEWS, seed_parts, write_jsonl
from tests.test_cli import _one_line_error, run


def _rows(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_plain_lines_and_jsonl_give_the_same_topics_in_order(capsys, tmp_path):
    texts = [n["text"] for n in NEWS]
    lines = tmp_path / "lines.txt"
    lines.write_text("\n".join(texts) + "\n", encoding="utf-8")
    jsonl = write_jsonl(tmp_path / "t.jsonl", [{"text": t, "id": i} for i, t in enumerate(texts)])
    outputs = []
    for path in (lines, jsonl):
        code, out, err = run(capsys, "topics", str(path))
        assert code == 0 and err == ""
        outputs.append(_rows(out))
    assert outputs[0] == outputs[1] and len(outputs[0]) == 3
    assert [r["topics"][0]["id"] for r in outputs[0]] == ["conflict", "economy", "sport"]
    for row in outputs[0]:
        assert set(row) == {"topics"} and 1 <= len(row["topics"]) <= 3
        for t in row["topics"]:
            assert set(t) == {"id", "ar", "en", "score"} and 0.0 <= t["score"] <= 1.0


def test_stdin_and_titles(capsys, monkeypatch, tmp_path):
    import io
    import sys

    _, post = seed_parts()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(post.replace("\n", " ").encode("utf-8"))))
    code, out, _ = run(capsys, "topics", "-")
    assert code == 0 and _rows(out)[0]["topics"][0]["id"] == "conflict"
    path = write_jsonl(tmp_path / "titled.jsonl", [{"title": "المنتخب يفوز بكأس العالم لكرة القدم",
                                                    "text": "قال المتحدث إن القرار نهائي"}])
    code, out, _ = run(capsys, "topics", str(path))
    assert code == 0 and _rows(out)[0]["topics"][0]["id"] == "sport"


@pytest.mark.parametrize("content", [
    '{"text": ""}\n',
    '{"title": "عنوان"}\n',
    'سطر\n\nسطر\n',
    '{"text": "نص", \n',
    '{"text": "نص", "title": 3}\n',
])
def test_bad_input(capsys, tmp_path, content):
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "topics", str(path))
    _one_line_error(code, err)
    assert out == ""


def test_missing_and_empty_files(capsys, tmp_path):
    for path in (tmp_path / "none.txt", tmp_path):
        code, out, err = run(capsys, "topics", str(path))
        _one_line_error(code, err)
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    code, _, err = run(capsys, "topics", str(tmp_path / "empty.txt"))
    _one_line_error(code, err)


def test_a_whole_article_gets_its_topics(capsys, tmp_path):
    report, _ = seed_parts()
    article = (report.replace("\n", " ") + " ") * (5_000 // len(report) + 1)  # longer than a claim may be
    path = write_jsonl(tmp_path / "article.jsonl", [{"text": article}])
    code, out, err = run(capsys, "topics", str(path))
    assert code == 0 and err == "" and len(article) > 5_000
    assert _rows(out)[0]["topics"][0]["id"] == "conflict"
