"""The strict YAML loader every config file goes through (sqresearch.io.config)."""

import time

import pytest

from sqresearch.errors import InputError
from sqresearch.io.config import MAX_NODES, read_yaml


def write(tmp_path, text, name="c.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_duplicate_key_names_the_line_and_key(tmp_path):
    path = write(tmp_path, "labels:\n  同意: 4\n  同意: 2\n")
    with pytest.raises(InputError, match=r"line 3: duplicate key '同意'"):
        read_yaml(path)


def test_billion_laughs_is_refused_quickly(tmp_path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(InputError, match="aliases expand to more than"):
        read_yaml(path)
    assert time.perf_counter() - start < 5


def test_small_aliases_are_allowed(tmp_path):
    path = write(tmp_path, "base: &b {points: 5}\nother: *b\n")
    assert read_yaml(path) == {"base": {"points": 5}, "other": {"points": 5}}
    assert MAX_NODES >= 10_000


def test_errors_are_one_line_and_name_the_file(tmp_path):
    path = write(tmp_path, "items: [unclosed\n")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("名称: 茶\n".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_yaml(gbk)
    with pytest.raises(InputError, match="expected a mapping"):
        read_yaml(write(tmp_path, "- 1\n- 2\n", "list.yaml"))
    assert read_yaml(write(tmp_path, "", "empty.yaml")) == {}
    with pytest.raises(InputError, match="study config not found"):
        read_yaml(tmp_path / "none.yaml", what="study config")
