"""`sqresearch init`: a student's own study folder."""

from __future__ import annotations

import pytest

from sqresearch.clean.codebook import Codebook
from sqresearch.cli import main
from sqresearch.constructs import get_framework
from sqresearch.errors import InputError
from sqresearch.scaffold import scaffold
from sqresearch.study import load_study


def test_init_writes_a_study_for_another_framework(tmp_path):
    folder = tmp_path / "my_study"
    assert main(["init", str(folder), "--framework", "maslow_belonging", "--lang", "en"]) == 0
    study = load_study(folder / "study.yaml")
    assert (study.framework, study.language) == ("maslow_belonging", "en")
    framework = get_framework("maslow_belonging")
    book = Codebook.load(folder / "data" / "codebook.yaml")
    # The template maps every item of the framework to the header 问卷星 will write for it.
    assert set(framework.items()) <= set(book.items)
    questionnaire = (folder / "questionnaire.md").read_text(encoding="utf-8")
    catalogue = framework.catalogue
    for code in framework.items():
        assert catalogue.item(code).text("en") in questionnaire
    assert (folder / "questionnaire.docx").read_bytes()[:2] == b"PK"
    for name in ("Makefile", "README.md", "paper/main.tex", "paper/chapter_zh.tex", "paper/chapter_en.tex"):
        assert (folder / name).is_file(), name
    notebooks = sorted(p.name for p in (folder / "notebooks").glob("*.ipynb"))
    assert notebooks and notebooks[0].startswith("00_")
    assert "STUDY=$(STUDY)" in (folder / "Makefile").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"framework": "no_such_framework"}, "no_such_framework"),
        ({"framework": "maslow_belonging", "example_data": True}, "example data"),
        ({"lang": "fr"}, "language"),
    ],
)
def test_init_refuses_bad_requests_before_writing(tmp_path, kwargs, message):
    folder = tmp_path / "s"
    with pytest.raises(InputError, match=message):
        scaffold(folder, **kwargs)
    assert not folder.exists() or not any(folder.iterdir())


def test_init_refuses_a_folder_in_use(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.slow
def test_scaffolded_example_study_builds(tmp_path):
    from sqresearch.build import build

    folder = tmp_path / "example"
    scaffold(folder, example_data=True)
    result = build(folder / "study.yaml", pdf=False, only=["00", "01"])
    assert [p.name[:2] for p in result["notebooks"]] == ["00", "01"]
    study = load_study(folder / "study.yaml")
    assert any(study.processed.iterdir())
    assert (study.results / "build_info.json").is_file()
