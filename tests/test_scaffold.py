"""`sqresearch init`: a student's own, self-contained study folder."""

from __future__ import annotations

import pytest

from sqresearch.clean.codebook import Codebook
from sqresearch.cli import main
from sqresearch.constructs import get_framework, list_frameworks
from sqresearch.errors import InputError
from sqresearch.paths import ROOT
from sqresearch.scaffold import scaffold
from sqresearch.study import load_study


def test_init_writes_a_study_for_another_framework(tmp_path):
    folder = tmp_path / "my_study"
    assert main(["init", str(folder), "--framework", "maslow_belonging", "--lang", "en"]) == 0
    study = load_study(folder / "study.yaml")
    template = get_framework("maslow_belonging")
    assert study.language == "en" and study.instrument == folder / "instrument.yaml"
    assert study.framework.constructs == template.constructs
    assert [h.path for h in study.framework.hypotheses] == [h.path for h in template.hypotheses]
    book = Codebook.load(folder / "data" / "codebook.yaml")
    # The template maps every item of the instrument to the header 问卷星 will write for it.
    latent_items = {i for block in study.framework.blocks().values() for i in block}
    assert latent_items <= set(book.items)
    questionnaire = (folder / "questionnaire.md").read_text(encoding="utf-8")
    for code in study.framework.items():
        assert study.catalogue.item(code).text("en") in questionnaire
    assert (folder / "questionnaire.docx").read_bytes()[:2] == b"PK"
    for name in ("Makefile", "README.md", "instrument.yaml", "paper/main.tex"):
        assert (folder / name).is_file(), name
    notebooks = sorted(p.name for p in (folder / "notebooks").glob("*.ipynb"))
    assert notebooks[0].startswith("00_") and len(notebooks) == 10
    makefile = (folder / "Makefile").read_text(encoding="utf-8")
    assert "sqresearch build study.yaml" in makefile
    # self-contained: nothing in the folder names the source checkout
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".md", ".tex", ".ipynb", ""):
            assert str(ROOT) not in path.read_text(encoding="utf-8"), path


def test_editing_the_instrument_changes_the_study(tmp_path):
    folder = tmp_path / "s"
    scaffold(folder, "tea_brand_factors")
    text = (folder / "instrument.yaml").read_text(encoding="utf-8")
    text = text.replace("text_zh: 该茶品牌的定位很清晰，我知道它代表什么。", "text_zh: 这个品牌定位清楚。")
    (folder / "instrument.yaml").write_text(text, encoding="utf-8")
    study = load_study(folder / "study.yaml")
    assert study.catalogue.item("BRD1").text("zh") == "这个品牌定位清楚。"


def test_blank_template_is_a_valid_study(tmp_path):
    folder = tmp_path / "blank"
    assert main(["init", str(folder), "--framework", "blank"]) == 0
    study = load_study(folder / "study.yaml")
    assert study.framework.constructs == ["X", "Y"] and len(study.framework.hypotheses) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"framework": "no_such_framework"}, "no_such_framework"),
        ({"framework": "blank", "example_data": True}, "example data"),
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


@pytest.mark.parametrize("name", list_frameworks())
def test_every_template_loads_back_unchanged(tmp_path, name):
    scaffold(tmp_path / name, name)
    study = load_study(tmp_path / name / "study.yaml")
    template = get_framework(name)
    assert study.framework.blocks() == template.blocks()
    assert study.framework.model_syntax() == template.model_syntax()
