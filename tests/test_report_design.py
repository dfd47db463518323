"""Research-design tables and text (sqresearch.report.design)."""

from __future__ import annotations

from sqresearch.constructs import get_framework
from sqresearch.report.design import design_text, framework_hypotheses_table
from sqresearch.report.tables import render


def test_design_text_and_hypotheses_table_follow_the_framework():
    fw = get_framework("tea_brand_community")
    text = design_text(fw, attention_checks=1, lang="zh")
    assert f"问卷包括{len(fw.constructs)}个构念" in text
    assert (
        r"社群顾客价值(CVA)（5个题项，改编自\cite{sweeney2001consumer,zeithaml1988consumer}）"
        in text
    )
    assert "Likert 5点（1 = 非常不同意，5 = 非常同意）" in text and "1道注意力检测题" in text
    assert "注意力" not in design_text(fw, lang="zh")
    plain = design_text(fw, lang="en", latex=False)
    assert r"\cite" not in plain and "[sweeney2001consumer,zeithaml1988consumer]" in plain
    table = framework_hypotheses_table(fw, lang="en")
    assert len(table.data) == len(fw.hypotheses)
    assert (
        table.data.loc[0, "path"]
        == "Community customer value → Sense of belonging to the community"
    )
    tex = render(table, "latex")
    assert r">{\raggedright\arraybackslash}p{0.45\linewidth}" in tex  # sentences wrap
    assert fw.hypotheses[0].text_en in tex
