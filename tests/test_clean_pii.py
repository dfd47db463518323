"""Personal data: header and content detection, redaction, and the file scanner other stages reuse."""

from __future__ import annotations

import pandas as pd
import pytest
from docx import Document

from sqresearch.clean.pii import find_pii, header_kind, pii_columns, redact, scan_path


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("来自IP", "ip"),
        ("IPAddress", "ip"),
        ("手机号码", "phone"),
        ("联系电话", "phone"),
        ("Phone", "phone"),
        ("邮箱", "email"),
        ("E-mail", "email"),
        ("姓名", "name"),
        ("Name", "name"),
        ("微信号", "wechat"),
        ("WeChat ID", "wechat"),
        ("QQ号", "qq"),
        ("身份证号", "id_number"),
        ("ID number", "id_number"),
        ("联系方式", "phone"),
        ("家庭地址", "address"),
        ("LocationLatitude", "address"),
    ],
)
def test_headers(header, kind):
    assert header_kind(header) == kind


@pytest.mark.parametrize(
    "header",
    [
        "序号",
        "ResponseId",
        "1、您的性别是？",
        "您是否加入过品牌微信群？",
        "所用时间",
        "提交答卷时间",
        "来源详情",
        "Company name of brand",
    ],
)
def test_headers_that_are_not_personal(header):
    assert header_kind(header) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1.2.3.4(浙江-杭州)", "ipv4"),
        ("from 240e:3a1:4c:2::1", "ipv6"),
        ("电话13812345678", "phone"),
        ("+86 13912345678", "phone"),
        ("mail me: tea.lover@qq.com", "email"),
        ("身份证 11010519491231002X", "id_number"),
        ("加我微信：tea_lover88", "wechat"),
        ("wxid_abc12345", "wechat"),
        ("QQ: 123456789", "qq"),
    ],
)
def test_content_patterns(text, kind):
    assert kind in [k for k, _ in find_pii(text)]


@pytest.mark.parametrize(
    "text",
    [
        "2025/3/1 10:20:30",
        "125秒",
        "α = 0.13812345678",
        "loglik -13812.345678",
        "版本 2.3.11",
        "sha256 4baffc6d65a8ad2bf139afdfe8c5e034122665fb23f196189a24be777ccaae2a",
        "I joined the brand's WeChat groups",
        "微信群里的活动很多",
        "CVA1,4,5,3,13,15",
        "n = 520, p < .001",
    ],
)
def test_no_false_alarms(text):
    assert find_pii(text) == []


def test_columns_by_header_role_and_content():
    frame = pd.DataFrame(
        {
            "来自IP": ["1.2.3.4(浙江-杭州)"],
            "IP所在地": ["浙江杭州"],
            "18、其他建议": ["请联系 13812345678"],
            "1、性别": ["男"],
        }
    )
    found = pii_columns(frame, roles={"IP所在地": "location"}).set_index("column")
    assert found.loc["来自IP", "found_by"] == "header"
    assert found.loc["IP所在地", "found_by"] == "header"  # 'IP所在地' is also a header pattern
    assert found.loc["18、其他建议", ["kind", "found_by", "n_cells"]].tolist() == [
        "phone",
        "content",
        1,
    ]
    assert "1、性别" not in found.index
    assert redact("请联系 13812345678 或 a@b.cn") == "请联系 [已删除] 或 [已删除]"


def test_scan_path_reads_text_xlsx_docx(tmp_path):
    (tmp_path / "clean.csv").write_text("ID,CVA1\n1,5\n", encoding="utf-8")
    pd.DataFrame({"x": ["ok", "13912345678"]}).to_excel(tmp_path / "t.xlsx", index=False)
    doc = Document()
    doc.add_paragraph("作者邮箱 someone@example.org")
    doc.save(tmp_path / "t.docx")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("13812345678", encoding="utf-8")
    findings = scan_path(tmp_path)
    assert sorted(findings["kind"]) == ["email", "phone"]
    assert all("*" in m for m in findings["masked"])  # never the value itself
    assert not findings["masked"].str.contains("13912345678").any()
