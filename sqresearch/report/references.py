r"""Reference lists: GB/T 7714-2015 (Chinese theses) and APA 7 (English), for PDF and Word.

The entries of ``paper/refs.bib`` that the chapter cites are written here
once for both outputs -- the PDF's ``thebibliography``
(:func:`bibliography_latex`, ``paper/references.tex``) and the Word
chapter's list -- so the two number and word every reference alike (none of
BibTeX's styles in the TeX Live packages the README installs is GB/T 7714).
They are read (the small BibTeX subset the
construct library uses: ``@article`` and ``@book`` with author, title,
journal, year, volume, number, pages, edition, publisher, address, doi) and
written in the citation style of the chapter's language:

* ``zh``: GB/T 7714-2015 顺序编码制 — cited in the text as ``[1]`` in order of
  first citation, listed in that order; authors surname first with initials
  (``Yoo B, Donthu N, Lee S``; more than three: ``, et al.`` / ``，等``),
  document type marks ``[J]`` / ``[M]``;
* ``en``: APA 7 author–date — cited as ``(Wen & Ye, 2014)``, listed
  alphabetically in the order of BibTeX's ``apalike`` (:func:`apa_sort_key`,
  the PDF's style), journal and volume (or the book title) in italics.

References
----------
.. [1] 全国信息与文献标准化技术委员会. GB/T 7714—2015 信息与文献 参考文献著录规则.
   北京: 中国标准出版社, 2015.
.. [2] American Psychological Association. (2020). *Publication manual of the
   American Psychological Association* (7th ed.).

Examples
--------
>>> bib = parse_bib('''@article{wen2014mediation, author = {温忠麟 and 叶宝娟},
...   title = {中介效应分析：方法和模型发展}, journal = {心理科学进展}, year = {2014},
...   volume = {22}, number = {5}, pages = {731--745}}''')
>>> "".join(text for text, _ in reference(bib["wen2014mediation"], "zh"))
'温忠麟, 叶宝娟. 中介效应分析：方法和模型发展[J]. 心理科学进展, 2014, 22(5): 731-745.'
>>> citation(bib["wen2014mediation"], "en")
'Wen & Ye, 2014'
"""

from __future__ import annotations

import re
import unicodedata

_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
_FIELD = re.compile(r"(\w+)\s*=\s*")
_ACCENT = re.compile(r"\{?\\(['`^\"~=.])\{?([A-Za-z])\}?\}?")
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307"}  # fmt: skip
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: A ``\cite{a,b}`` command; group 1 holds its keys.
CITE = re.compile(r"\\cite\{([^}]*)\}")
_URL = re.compile(r"(https?://\S+)")


def _braced(text: str, start: int) -> tuple[str, int]:
    """The text of the brace group opening at ``start`` and the index after it."""
    depth, i = 0, start
    while i < len(text):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1 : i], i + 1
        i += 1
    return text[start + 1 :], len(text)


def _plain(value: str) -> str:
    """A BibTeX value as text: accents as Unicode, braces and ``--`` resolved."""
    value = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m[2] + _ACCENTS[m[1]]), value)
    value = value.replace("\\&", "&").replace("--", "-").replace("{", "").replace("}", "")
    return " ".join(value.split())


def parse_bib(text: str) -> dict[str, dict[str, str]]:
    """Entries of a .bib text by key: ``{"type": ..., field: plain text, ...}``."""
    entries: dict[str, dict[str, str]] = {}
    for match in _ENTRY.finditer(text):
        body, _ = _braced(text, text.index("{", match.start()))
        entry = {"type": match[1].lower()}
        pos = body.index(",") + 1
        while (found := _FIELD.search(body, pos)) is not None:
            start = found.end()
            if body[start] == "{":
                value, pos = _braced(body, start)
            else:
                end = body.find(",", start)
                end = len(body) if end < 0 else end
                value, pos = body[start:end].strip().strip('"'), end
            entry[found[1].lower()] = _plain(value)
        entries[match[2]] = entry
    return entries


def _authors(entry: dict) -> list[tuple[str, str]]:
    """(surname, given names) of each author."""
    out = []
    for name in re.split(r"\s+and\s+", entry.get("author", "")):
        if "," in name:
            last, first = (part.strip() for part in name.split(",", 1))
        elif _CJK.search(name):
            last, first = name.strip(), ""
        else:
            parts = name.split()
            last, first = (parts[-1], " ".join(parts[:-1])) if parts else ("", "")
        out.append((last, first))
    return out


def _initials(first: str, *, dots: bool) -> str:
    letters = [part[0] for part in re.split(r"[\s-]+", first) if part]
    return " ".join(f"{c}." for c in letters) if dots else "".join(letters)


def _pages(entry: dict) -> str:
    return entry.get("pages", "").replace("-", "–")


def reference(entry: dict, lang: str) -> list[tuple[str, bool]]:
    """One entry of the reference list as ``(text, italic)`` segments."""
    authors = _authors(entry)
    cjk = bool(_CJK.search(entry.get("title", "")))
    if lang == "zh":
        names = [
            last if not first else f"{last} {_initials(first, dots=False)}"
            for last, first in authors
        ]
        if len(names) > 3:
            names = names[:3] + ["等" if cjk else "et al"]
        head = ", ".join(names)
        if entry["type"] == "book":
            edition = entry.get("edition", "")
            edition = (f"{edition}版. " if cjk else f"{_ordinal(edition)} ed. ") if edition else ""
            place = f"{entry['address']}: " if entry.get("address") else ""
            text = (
                f"{head}. {entry['title']}[M]. {edition}{place}"
                f"{entry.get('publisher', '')}, {entry['year']}."
            )
        else:
            issue = f"({entry['number']})" if entry.get("number") else ""
            pages = f": {entry['pages']}" if entry.get("pages") else ""
            text = (
                f"{head}. {entry['title']}[J]. {entry.get('journal', '')}, {entry['year']}, "
                f"{entry.get('volume', '')}{issue}{pages}."
            )
        return [(text, False)]
    names = [f"{last}, {_initials(first, dots=True)}" if first else last for last, first in authors]
    if len(names) > 20:
        names = names[:19] + ["...", names[-1]]
    join = "、" if any(_CJK.search(n) for n in names) else ", & "
    head = names[0] if len(names) == 1 else ", ".join(names[:-1]) + join + names[-1]
    doi = f" https://doi.org/{entry['doi']}" if entry.get("doi") else ""
    if entry["type"] == "book":
        edition = f" ({_ordinal(entry['edition'])} ed.)" if entry.get("edition") else ""
        return [
            (f"{head} ({entry['year']}). ", False),
            (entry["title"], True),
            (f"{edition}. {entry.get('publisher', '')}.{doi}", False),
        ]
    issue = f"({entry['number']})" if entry.get("number") else ""
    pages = f", {_pages(entry)}" if entry.get("pages") else ""
    return [
        (f"{head} ({entry['year']}). {entry['title']}. ", False),
        (f"{entry.get('journal', '')}, {entry.get('volume', '')}", True),
        (f"{issue}{pages}.{doi}", False),
    ]


def _ordinal(number: str) -> str:
    n = int(number) if number.isdigit() else 0
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{number}{suffix}" if n else number


def apa_sort_key(entry: dict) -> str:
    """Where an entry goes in the APA (author-date) list: as BibTeX's ``apalike`` sorts
    it, so main.docx and main.pdf list the same order.

    Surnames and first initials of every author, then year, then title, in lower case
    without punctuation (``purify$``); code-point order puts Chinese names after Latin
    ones, as BibTeX's byte order does.

    Examples
    --------
    >>> one = {"author": "Zeithaml, Valarie A.", "year": "1988", "title": "B"}
    >>> three = {"author": "Zeithaml, Valarie A. and Berry, Leonard", "year": "1996", "title": "A"}
    >>> apa_sort_key(one) < apa_sort_key(three)
    True
    """
    names = "   ".join(
        f"{last}  {_initials(first, dots=False)}".strip() for last, first in _authors(entry)
    )
    key = f"{names}    {entry.get('year', '')}    {entry.get('title', '')}".lower()
    return "".join(c for c in key if c.isalnum() or c == " ")


def _who(entry: dict) -> str:
    surnames = [_romanised(last) for last, _ in _authors(entry)]
    return f"{surnames[0]} et al." if len(surnames) >= 3 else " & ".join(surnames)


def citation(entry: dict, lang: str) -> str:
    """The author–date citation of an entry (APA: ``Yoo et al., 2000``)."""
    return f"{_who(entry)}, {entry.get('year', 'n.d.')}"


def cited_keys(latex: str, bib: dict[str, dict[str, str]]) -> list[str]:
    r"""The keys of ``bib`` that ``\cite`` commands in ``latex`` name, in order of first citation.

    Examples
    --------
    >>> cited_keys(r"a \cite{b,a} c \cite{a} \cite{zz}", {"a": {}, "b": {}})
    ['b', 'a']
    """
    keys: list[str] = []
    for group in CITE.findall(latex):
        for key in (k.strip() for k in group.split(",")):
            if key in bib and key not in keys:
                keys.append(key)
    return keys


def listed(bib: dict[str, dict[str, str]], cited: list[str], lang: str) -> list[str]:
    """The cited keys in the list's order: zh in order of first citation (顺序编码制),
    en alphabetically as BibTeX's ``apalike`` sorts (:func:`apa_sort_key`)."""
    return list(cited) if lang == "zh" else sorted(cited, key=lambda k: apa_sort_key(bib[k]))


def bibliography_latex(bib: dict[str, dict[str, str]], cited: list[str], lang: str) -> str:
    r"""The PDF's reference list: a ``thebibliography`` of the cited entries, or ``""``.

    zh entries are numbered (``\cite`` prints ``[1]``); en entries carry
    natbib's author–year label (``\citep`` prints ``(Wen & Ye, 2014)``).

    Examples
    --------
    >>> bib = parse_bib('''@article{wen2014mediation, author = {温忠麟 and 叶宝娟},
    ...   title = {中介效应分析：方法和模型发展}, journal = {心理科学进展}, year = {2014},
    ...   volume = {22}, number = {5}, pages = {731--745}}''')
    >>> print(bibliography_latex(bib, ["wen2014mediation"], "zh"))
    \begin{thebibliography}{1}
    \bibitem{wen2014mediation} 温忠麟, 叶宝娟. 中介效应分析：方法和模型发展[J]. 心理科学进展, 2014, 22(5): 731-745.
    \end{thebibliography}
    >>> print(bibliography_latex(bib, ["wen2014mediation"], "en").splitlines()[1][:43])
    \bibitem[Wen \& Ye(2014)]{wen2014mediation}
    """
    from sqresearch.report.format import escape_latex

    if not cited:
        return ""
    lines = [f"\\begin{{thebibliography}}{{{len(cited)}}}"]
    for key in listed(bib, cited, lang):
        entry = bib[key]
        year = entry.get("year", "n.d.")
        label = "" if lang == "zh" else f"[{escape_latex(_who(entry))}({year})]"
        body = "".join(
            f"\\emph{{{escape_latex(text)}}}" if italic else _latex_with_urls(text)
            for text, italic in reference(entry, lang)
        )
        lines.append(f"\\bibitem{label}{{{key}}} {body}")
    return "\n".join([*lines, "\\end{thebibliography}"])


def _latex_with_urls(text: str) -> str:
    r"""``text`` escaped for LaTeX, its web addresses (DOIs) as ``\url`` so they break at line ends."""
    from sqresearch.report.format import escape_latex

    parts = _URL.split(text)
    return "".join(f"\\url{{{p}}}" if i % 2 else escape_latex(p) for i, p in enumerate(parts))


#: Pinyin of the surnames of the Chinese authors of the shipped references (APA cites in pinyin).
PINYIN = {"温": "Wen", "叶": "Ye", "吴": "Wu"}


def _romanised(surname: str) -> str:
    if not _CJK.search(surname):
        return surname
    return PINYIN.get(surname[0], surname)
