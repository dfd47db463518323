"""Random studies for tests: a complete study folder from one seed.

:func:`random_study` writes ``study.yaml`` (naming ``instrument.yaml``),
``instrument.yaml``, ``data/raw/`` (a simulated 问卷星 export by option text,
csv or xlsx) and ``data/codebook.yaml`` for a study drawn at random:

- 2-8 constructs of 3-6 items, some new (random codes and wording, 5- or
  7-point scales, a reverse-keyed item now and then) and some from the
  catalogue (all items, a subset, or some reworded);
- hypotheses of every kind (path, indirect with one or two mediators,
  parallel or serial, moderation, moderated mediation, regression,
  difference), consistent: every arrow runs forward in one random order of
  the constructs, so the structural model is acyclic;
- demographics: catalogue ones with their own levels or the study's own
  level sets (sometimes valued 10, 20, ...), and new ones; controls, groups;
- 0-2 attention checks, a screening question or none; zh or en;
  150-600 rows.

The data come from :func:`sqresearch.datasets.build_export` (population model
derived from the hypotheses) and the codebook from
:func:`sqresearch.datasets.example_codebook`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from sqresearch import datasets
from sqresearch.constructs import load_catalogue
from sqresearch.constructs.instrument import load_instrument

KINDS = ("path", "indirect", "moderation", "moderated_mediation", "regression", "difference")
#: Constructs a kind of hypothesis needs at least.
NEEDS = {"path": 2, "indirect": 3, "moderation": 3, "moderated_mediation": 4, "regression": 2,
         "difference": 1}  # fmt: skip
NOUNS = [("服务质量", "service quality"), ("感知有用性", "perceived usefulness"),
         ("信任", "trust"), ("满意度", "satisfaction"), ("品牌形象", "brand image"),
         ("社会影响", "social influence"), ("感知风险", "perceived risk"),
         ("使用意愿", "intention to use"), ("自我效能", "self-efficacy"),
         ("工作投入", "work engagement"), ("组织支持", "organisational support"),
         ("学习动机", "learning motivation")]  # fmt: skip
ASPECTS = [("在日常使用中", "in daily use"), ("与同类相比", "compared with others"),
           ("总体而言", "overall"), ("在关键时刻", "when it matters"),
           ("从长远看", "in the long run"), ("在细节上", "in the details")]  # fmt: skip
#: Level sets a study may field instead of the catalogue's.
OWN_LEVELS = {
    "AGE": [["25岁及以下", "25 or younger"], ["26–35岁", "26–35"], ["36–50岁", "36–50"],
            ["50岁以上", "over 50"]],
    "TENURE": [["半年以内", "under half a year"], ["半年至1年", "half a year to 1 year"],
               ["1–3年", "1–3 years"], ["3年以上", "over 3 years"]],
    "EDU": [["本科以下", "below bachelor"], ["本科", "bachelor"], ["研究生", "postgraduate"]],
    "INCOME": [["5000元以下", "under 5,000"], ["5000–10000元", "5,000–10,000"],
               ["10000元以上", "over 10,000"]],
}  # fmt: skip
NEW_DEMOGRAPHICS = [
    ("MAJOR", "您的专业类别是？", "What is your field of study?",
     [["文科", "Humanities"], ["理科", "Sciences"], ["工科", "Engineering"], ["其他", "Other"]]),
    ("CITY", "您所在城市的级别是？", "What tier is your city?",
     [["一线城市", "Tier 1"], ["二线城市", "Tier 2"], ["三线及以下", "Tier 3 or below"]]),
    ("ROLE", "您目前的岗位类型是？", "What is your current role?",
     [["普通员工", "Staff"], ["基层管理者", "Junior manager"], ["中高层管理者", "Senior manager"]]),
    ("FREQ", "您每周使用该产品的频率是？", "How often do you use the product per week?",
     [["1次及以下", "Once or less"], ["2–3次", "2–3 times"], ["4–6次", "4–6 times"],
      ["每天", "Every day"]]),
]  # fmt: skip


def _new_construct(rng, code: str, noun: tuple[str, str]) -> dict:
    k = int(rng.integers(3, 7))
    reverse_at = int(rng.integers(k)) if rng.random() < 0.3 else -1
    items = []
    aspects = [ASPECTS[i] for i in rng.permutation(len(ASPECTS))[:k]]
    for j, (azh, aen) in enumerate(aspects, 1):
        reverse = j - 1 == reverse_at
        zh = f"{azh}，我{'并不' if reverse else ''}认可这里的{noun[0]}（第{j}项）。"
        en = f"{aen.capitalize()}, I {'do not ' if reverse else ''}value the {noun[1]} here (item {j})."
        items.append({"code": f"{code}{j}", "text_zh": zh, "text_en": en, "reverse": reverse})
    return {"code": code, "name_zh": noun[0], "name_en": noun[1].capitalize(),
            "scale": "agree7" if rng.random() < 0.3 else "agree5", "items": items,
            "source": "generated for a test"}  # fmt: skip


def _catalogue_construct(rng, construct) -> dict:
    codes = construct.item_codes
    entry: dict = {"code": construct.code}
    choice = rng.integers(3)
    if choice == 0 or len(codes) == 3:
        chosen = codes
    else:
        size = int(rng.integers(3, len(codes) + 1))
        drawn = set(rng.choice(codes, size, replace=False).tolist())
        chosen = [c for c in codes if c in drawn]
    items: list = []
    for item in construct.items:
        if item.code not in chosen:
            continue
        if choice == 2 and rng.random() < 0.5:  # reworded in place
            items.append({"code": item.code, "text_zh": "在我看来，" + item.text_zh,
                          "text_en": "In my view, " + item.text_en[0].lower() + item.text_en[1:]})  # fmt: skip
        else:
            items.append(item.code)
    if items != codes:
        entry["items"] = items
    return entry


def _demographics(rng, catalogue) -> list[dict]:
    out = []
    pool = ["GENDER", "AGE", "EDU", "INCOME", "TENURE"]
    for code in rng.permutation(pool)[: int(rng.integers(1, 4))].tolist():
        if code in OWN_LEVELS and rng.random() < 0.6:
            levels = OWN_LEVELS[code]
            if rng.random() < 0.3:  # valued 10, 20, ... rather than 1, 2, ...
                entry = {"code": code, "levels": [[10 * (i + 1), zh, en]
                                                  for i, (zh, en) in enumerate(levels)]}  # fmt: skip
            else:
                entry = {
                    "code": code,
                    "levels": [[i + 1, zh, en] for i, (zh, en) in enumerate(levels)],
                }
        else:
            entry = {"code": code}
        out.append(entry)
    for i in rng.permutation(len(NEW_DEMOGRAPHICS))[: int(rng.integers(0, 3))].tolist():
        code, zh, en, levels = NEW_DEMOGRAPHICS[i]
        out.append({"code": code, "question_zh": zh, "question_en": en,
                    "levels": [[j + 1, a, b] for j, (a, b) in enumerate(levels)]})  # fmt: skip
    return out


def _hypotheses(
    rng, order: list[str], demographics: list[str], count: int, kinds=None
) -> list[dict]:
    """``count`` hypotheses whose arrows all run forward in ``order`` (acyclic)."""
    n = len(order)
    possible = [
        k for k in (kinds or KINDS) if NEEDS[k] <= n and (k != "difference" or demographics)
    ]
    out, paths = [], set()
    tries = 0
    while len(out) < count and tries < 200:
        tries += 1
        kind = possible[int(rng.integers(len(possible)))]
        pick = sorted(rng.choice(n, NEEDS[kind] if kind != "indirect" else
                                 int(rng.integers(3, min(n, 4) + 1)), replace=False).tolist())  # fmt: skip
        c = [order[i] for i in pick]
        h: dict = {"kind": kind}
        if kind in ("path", "regression"):
            if (kind, c[1], c[0]) in paths:  # the same hypothesis twice is refused
                continue
            paths.add((kind, c[1], c[0]))
            h.update(lhs=c[1], rhs=c[0])
            words = ("影响", "affects")
        elif kind == "indirect":
            ms = c[1:-1]
            h.update(x=c[0], y=c[-1], m=ms[0] if len(ms) == 1 else ms)
            if len(ms) > 1 and rng.random() < 0.5:
                h["serial"] = True
            words = ("经由中介影响", "affects through mediation")
        elif kind == "moderation":
            x, w, y = c[0], c[1], c[2]
            if rng.random() < 0.5:
                x, w = w, x
            h.update(lhs=y, rhs=x, w=w)
            words = ("调节", "moderates")
        elif kind == "moderated_mediation":
            x, m, y = c[0], c[1], c[3]
            h.update(x=x, m=m, y=y, w=c[2], stage="first" if rng.random() < 0.5 else "second")
            words = ("有调节的中介", "moderated mediation")
        else:
            h.update(construct=c[0], by=demographics[int(rng.integers(len(demographics)))])
            words = ("存在组间差异", "differs between groups")
        hid = f"H{len(out) + 1}"
        named = " / ".join(str(v) for k, v in h.items() if k not in ("kind", "serial", "stage"))
        if rng.random() < 0.5:
            h["text_zh"] = f"{named}：{words[0]}。"
        else:
            h["text_en"] = f"{named}: {words[1]}."
        out.append({"id": hid, **h})
    return out


def random_study(
    seed: int,
    folder: str | Path,
    lang: str | None = None,
    *,
    n_constructs: int | None = None,
    n_hypotheses: int | None = None,
    kinds: tuple[str, ...] | None = None,
    new_constructs: int | None = None,
    fmt: str = "csv",
) -> Path:
    """Write a random study into ``folder``; return its ``study.yaml``.

    Parameters
    ----------
    seed : int
        Everything derives from it.
    folder : str or Path
        Created if missing.
    lang : {"zh", "en"}, optional
        Default: drawn.
    n_constructs, n_hypotheses : int, optional
        Default: 2-8 constructs, 1-6 hypotheses.
    kinds : tuple of str, optional
        Kinds of hypothesis to draw from (default: every kind).
    new_constructs : int, optional
        How many constructs are new (default: drawn).
    fmt : {"csv", "xlsx"}
        Format of the export (xlsx is slower to write and read).
    """
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    (folder / "data" / "raw").mkdir(parents=True, exist_ok=True)
    lang = lang or ("zh" if rng.random() < 0.5 else "en")
    catalogue = load_catalogue()
    n = int(rng.integers(2, 9)) if n_constructs is None else n_constructs
    n_new = int(rng.integers(0, n + 1)) if new_constructs is None else new_constructs
    latent = [c for c in catalogue.constructs.values() if c.kind == "latent"]
    taken = [latent[i] for i in rng.permutation(len(latent))[: n - n_new]]
    constructs = [_catalogue_construct(rng, c) for c in taken]
    used = set(catalogue.constructs) | set(catalogue.demographics) | {"ATT", "SCREEN"}
    for i in rng.permutation(len(NOUNS))[:n_new].tolist():
        code = "".join(rng.choice(list("ABCDEFGHJKMNPQRSTUVWXYZ"), 3))
        while code in used:
            code = "".join(rng.choice(list("ABCDEFGHJKMNPQRSTUVWXYZ"), 3))
        used.add(code)
        constructs.append(_new_construct(rng, code, NOUNS[i]))
    constructs = [constructs[i] for i in rng.permutation(len(constructs))]
    demographics = _demographics(rng, catalogue)
    demo_codes = [d["code"] for d in demographics]
    order = [constructs[i]["code"] for i in rng.permutation(len(constructs))]
    count = int(rng.integers(1, 7)) if n_hypotheses is None else n_hypotheses
    doc: dict = {
        "name": f"random_{seed}",
        "constructs": constructs,
        "demographics": demographics,
        "controls": [c for c in demo_codes if rng.random() < 0.5],
        "hypotheses": _hypotheses(rng, order, demo_codes, count, kinds),
    }
    checks = int(rng.integers(0, 3))
    if checks:
        doc["attention_checks"] = [
            {"code": f"ATT{j}", "scale": "agree5", "expected": int(rng.choice([2, 4, 5])),
             "text_zh": f"本题请选择第{j}个检验选项。", "text_en": f"Check {j}: pick the option asked for."}
            for j in range(1, checks + 1)
        ]  # fmt: skip
        for j, check in enumerate(doc["attention_checks"]):
            answer = ["非常不同意", "不同意", "一般", "同意", "非常同意"][check["expected"] - 1]
            check["text_zh"] = f"本题用于检验作答是否认真（{j + 1}），请直接选择“{answer}”。"
            check["text_en"] = (
                f"To show you read carefully ({j + 1}), choose option {check['expected']}."
            )
    if rng.random() < 0.5:
        doc["screening"] = {"code": "SCREEN", "question_zh": "您是否使用过该产品？",
                            "question_en": "Have you used the product?",
                            "levels": [[1, "是", "Yes"], [2, "否", "No"]], "eligible": [1]}  # fmt: skip
    instrument = folder / "instrument.yaml"
    instrument.write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    framework = load_instrument(instrument, name=doc["name"])
    n_rows = int(rng.integers(150, 601))
    data_seed = int(rng.integers(2**31))
    if fmt == "xlsx":
        raw = datasets.write_example_data(folder, framework, data_seed, lang=lang, n_rows=n_rows)[
            "raw"
        ]
    else:
        export = datasets.build_export(data_seed, framework, n_rows=n_rows, lang=lang)
        raw = folder / "data" / "raw" / "wjx_export_text.csv"
        export.text.to_csv(raw, index=False, encoding="utf-8-sig", lineterminator="\n")
        (folder / "data" / "codebook.yaml").write_text(
            datasets.example_codebook(framework, lang), encoding="utf-8"
        )
    study = {
        "name": doc["name"],
        "instrument": "instrument.yaml",
        "language": lang,
        "data": {"raw": raw.relative_to(folder).as_posix(), "codebook": "data/codebook.yaml",
                 "processed": "data/processed"},
        "paper": "paper",
        "seed": int(seed),
        "bootstrap": 200,
        "sem_bootstrap": 100,
    }  # fmt: skip
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(study, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
