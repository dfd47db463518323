"""Questionnaire export: content, attention check, shuffling, Markdown / docx / LaTeX, CLI."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import docx
import pytest
import yaml

from sqresearch.cli import main
from sqresearch.constructs import get_framework, list_frameworks, load_catalogue
from sqresearch.constructs.load import FILES
from sqresearch.errors import InputError
from sqresearch.paths import CONSTRUCTS_DIR
from sqresearch.report.format import escape_latex
from sqresearch.report.questionnaire import (
    build_questionnaire,
    render_questionnaire,
    to_docx,
    to_latex,
    to_markdown,
)

CAT = load_catalogue()
ATT = CAT.attention_checks[0]


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _expected_texts(name: str, lang: str) -> list[str]:
    """Every text a respondent must see, from the catalogue (not from the renderer)."""
    fw = get_framework(name)
    texts = [
        CAT.constructs[c].items[i].text(lang)
        for c in fw.latent()
        for i in range(len(CAT.constructs[c].items))
    ]
    ins = CAT.instrument
    texts += [ins.text(part, lang) for part in ("title", "consent", "instructions", "closing")]
    texts.append(ins.screening.question(lang))
    for d in (CAT.demographics[code] for code in fw.demographics):  # the ones it fields
        texts.append(d.question(lang))
        texts += [level.label(lang) for level in d.levels]
    return texts


RENDER = {
    "md": lambda q, lang: to_markdown(q, lang),
    "tex": lambda q, lang: to_latex(q, lang),
    "docx": lambda q, lang: _docx_text(to_docx(q, lang)),
}


def _plain(text: str, fmt: str) -> str:
    """Undo the renderer's escaping so catalogue texts can be searched for."""
    if fmt == "md":
        return re.sub(r"\\(.)", r"\1", text)
    return text


@pytest.mark.parametrize("fmt", ["md", "tex", "docx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "name", ["tea_brand_factors", "community_layers", "maslow_belonging", "tea_brand_community"]
)
def test_every_text_appears_and_the_attention_check_once(name, lang, fmt):
    q = build_questionnaire(name, shuffle=True, seed=11)
    out = _plain(RENDER[fmt](q, lang), fmt)
    for text in _expected_texts(name, lang):
        wanted = escape_latex(text) if fmt == "tex" else text
        assert wanted in out, (name, lang, fmt, text)
    att = escape_latex(ATT.text(lang)) if fmt == "tex" else ATT.text(lang)
    assert out.count(att) == 1
    # construct names are hidden from respondents
    for code in get_framework(name).latent():
        assert CAT.constructs[code].name(lang) not in out


def test_both_languages_together():
    md = _plain(render_questionnaire("maslow_belonging", "md", "both"), "md")
    for text in _expected_texts("maslow_belonging", "zh") + _expected_texts(
        "maslow_belonging", "en"
    ):
        assert text in md
    assert md.count(ATT.text_zh) == md.count(ATT.text_en) == 1


def test_questions_are_numbered_in_order():
    q = build_questionnaire("tea_brand_community", shuffle=True, seed=3)
    codes = q.question_codes()
    # screening, then 11 constructs' items + ATT1, then six demographics
    n_items = sum(
        len(CAT.constructs[c].items) for c in get_framework("tea_brand_community").latent()
    )
    assert len(codes) == 1 + n_items + 1 + 6
    assert codes[0] == "SCREEN" and codes[-6:] == [
        "GENDER",
        "AGE",
        "EDU",
        "INCOME",
        "TENURE",
        "STAGE",
    ]
    md = to_markdown(q, "zh")
    numbers = [int(n) for n in re.findall(r"^(?:\*\*|\| )(\d+)(?:\.\*\*| \|)", md, flags=re.M)]
    assert numbers == list(range(1, len(codes) + 1))
    # the item at number k is the catalogue item codes[k-1]
    rows = re.findall(r"^\| (\d+) \| (.+?) \| ○", md, flags=re.M)
    for number, text in rows:
        assert _plain(text, "md") == CAT.item(codes[int(number) - 1]).text_zh


def test_unshuffled_order_follows_the_framework_and_centres_the_check():
    fw = get_framework("tea_brand_factors")
    q = build_questionnaire(fw)
    assert [b.construct for b in q.blocks] == fw.latent()
    middle = q.blocks[len(q.blocks) // 2]
    items = [i.code for i in middle.items]
    assert items.index("ATT1") == (len(items) - 1) // 2
    assert [i for i in items if i != "ATT1"] == CAT.constructs[middle.construct].item_codes
    assert q.seed is None and not q.shuffled


def test_shuffle_is_deterministic_for_a_seed_and_differs_across_seeds():
    a = build_questionnaire("tea_brand_community", shuffle=True, seed=42)
    b = build_questionnaire("tea_brand_community", shuffle=True, seed=42)
    assert a.question_codes() == b.question_codes()
    assert to_markdown(a, "zh") == to_markdown(b, "zh")
    assert to_docx(a, "zh") == to_docx(b, "zh")  # byte-identical
    orders = {
        tuple(build_questionnaire("tea_brand_community", shuffle=True, seed=s).question_codes())
        for s in range(8)
    }
    assert len(orders) == 8
    assert tuple(build_questionnaire("tea_brand_community").question_codes()) not in orders


def test_shuffle_keeps_blocks_whole_and_moves_the_check():
    positions = set()
    for seed in range(20):
        q = build_questionnaire("community_layers", shuffle=True, seed=seed)
        for block in q.blocks:
            codes = [i.code for i in block.items if i.code != "ATT1"]
            assert sorted(codes) == sorted(CAT.constructs[block.construct].item_codes)
            if len(codes) != len(block.items):
                where = [i.code for i in block.items].index("ATT1")
                assert 0 < where < len(block.items) - 1  # never first or last in its block
                positions.add((block.construct, where))
        assert sum(i.code == "ATT1" for i in q.items()) == 1
    assert len(positions) > 3


def test_shuffle_without_seed_records_the_seed_it_drew():
    q = build_questionnaire("maslow_belonging", shuffle=True)
    again = build_questionnaire("maslow_belonging", shuffle=True, seed=q.seed)
    assert q.question_codes() == again.question_codes()


def test_docx_uses_song_and_times_new_roman():
    data = to_docx(build_questionnaire("maslow_belonging"), "both")
    document = docx.Document(io.BytesIO(data))
    xml = document.element.xml
    assert 'w:eastAsia="宋体"' in xml and 'w:ascii="Times New Roman"' in xml
    assert len(document.tables) == len(get_framework("maslow_belonging").latent())
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header[2] == "非常不同意\nStrongly disagree"


# -- LaTeX ---------------------------------------------------------------

SPECIALS = r"50% & more_ #1 {x} ~y ^z \w $5"


@pytest.fixture(scope="module")
def special_catalogue(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lib")
    for name in FILES:
        shutil.copy(CONSTRUCTS_DIR / name, folder / name)
    path = folder / "catalogue.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for construct in data["constructs"]:
        if construct["code"] == "NBL":
            construct["items"][0]["text_en"] = SPECIALS
            construct["items"][0]["text_zh"] = "百分之50% & 其余_ #1 {x}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_catalogue(folder)


def _unescaped(line: str, ch: str) -> int:
    return len(re.findall(rf"(?<!\\){re.escape(ch)}", line))


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_latex_has_no_unescaped_specials(special_catalogue, lang):
    fw = get_framework("maslow_belonging", special_catalogue)
    tex = to_latex(build_questionnaire(fw, shuffle=True, seed=1), lang)
    if lang != "zh":
        assert escape_latex(SPECIALS) in tex and SPECIALS not in tex
    for line in tex.splitlines():
        if line.startswith("%"):
            continue  # the fragment's own comment lines
        for ch in "%#$_^~":
            assert _unescaped(line, ch) == 0, (ch, line)
        if line.endswith(r" \\") and "&" in line:
            # table rows: number, item and one cell per scale point
            assert _unescaped(line, "&") == 1 + 5, line
        else:
            assert _unescaped(line, "&") == 0, line
    # braces balance once escaped braces are removed
    bare = tex.replace(r"\{", "").replace(r"\}", "")
    assert bare.count("{") == bare.count("}")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex not installed")
def test_latex_fragment_compiles_with_ctex(tmp_path, special_catalogue):
    fw = get_framework("tea_brand_community", special_catalogue)
    (tmp_path / "q.tex").write_text(
        to_latex(build_questionnaire(fw, shuffle=True, seed=5), "both"), encoding="utf-8"
    )
    (tmp_path / "main.tex").write_text(
        "\\documentclass{ctexart}\n\\usepackage{booktabs,longtable,array}\n"
        "\\begin{document}\n\\appendix\n\\input{q.tex}\n\\end{document}\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "main.tex"],
        cwd=tmp_path,
        capture_output=True,
        timeout=240,
    )
    log = (tmp_path / "main.log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, log[-2000:]
    assert "Overfull" not in log and "Missing character" not in log


# -- errors and CLI --------------------------------------------------------


def test_bad_language_and_format():
    q = build_questionnaire("maslow_belonging")
    with pytest.raises(InputError, match="unknown language 'de'"):
        to_markdown(q, "de")
    with pytest.raises(InputError, match="unknown questionnaire format 'pdf'"):
        render_questionnaire("maslow_belonging", "pdf")


def test_cli_writes_each_format(tmp_path, capsys):
    for suffix in ("md", "tex", "docx"):
        out = tmp_path / f"q.{suffix}"
        code = main(["questionnaire", "--framework", "community_layers", "--lang", "en", "--out", str(out),
                     "--shuffle", "--seed", "9"])  # fmt: skip
        assert code == 0 and out.stat().st_size > 0
    q = build_questionnaire("community_layers", shuffle=True, seed=9)
    assert (tmp_path / "q.md").read_text(encoding="utf-8") == to_markdown(q, "en")
    assert (tmp_path / "q.tex").read_text(encoding="utf-8") == to_latex(q, "en")
    assert (tmp_path / "q.docx").read_bytes() == to_docx(q, "en")
    capsys.readouterr()
    assert main(["questionnaire", "--framework", "maslow_belonging", "--format", "md", "--json",
                 "--out", str(tmp_path / "x.md")]) == 0  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert doc["questions"] == build_questionnaire("maslow_belonging").question_codes()
    assert doc["seed"] is None and doc["format"] == "md"


def test_cli_errors(tmp_path, capsys):
    assert main(["questionnaire", "--out", str(tmp_path / "q.pdf")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err
    assert main(["questionnaire", "--format", "docx"]) == 2
    assert main(["questionnaire", "--framework", "nope", "--format", "md"]) == 2
    assert "unknown framework 'nope'" in capsys.readouterr().err


def test_every_framework_renders():
    for name in list_frameworks():
        assert render_questionnaire(name, "md", "zh").startswith("# ")
