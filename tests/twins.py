"""What keeps a Chinese lesson the twin of its English one (tests/test_editions.py).

A twin (`notebooks/zh/X.ipynb` beside `notebooks/X.ipynb`) has the same cells in the same
order, of the same kinds, with the same tags. Its code cells are the same Python tokens
except comments and the string literals a learner reads: a string may differ only when the
Chinese one contains Chinese (and keeps the same `{fields}`). Beyond that a twin adds exactly
`ZH_ONLY_LINES`, each in its own cell. Its markdown keeps each heading's level and section
number and is written in Chinese. Each function here returns its problems as lines
"cell N: ...", N counting every cell from 0, so a failing test names the cell to fix.
"""

from __future__ import annotations

import io
import re
import string
import tokenize
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from IPython.core.inputtransformer2 import TransformerManager

PARAMETERS, COLAB = "parameters", "colab"
ZH_ONLY_LINES: dict[str, tuple[str, ...]] = {
    # the parameters cell: every text the library shows comes in Chinese from here on
    PARAMETERS: ("from digitlab.i18n import set_language", 'set_language("zh")'),
    # the Colab cell: a font with Chinese glyphs for the plots (Colab has none)
    COLAB: ("!apt-get -qq install -y fonts-wqy-microhei",),
}
"""The only lines a Chinese twin adds, by the cell they belong in (see `cell_role`)."""

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)
SECTION_NUMBER = re.compile(r"\d+(?:\.\d+)*")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
NOT_PROSE = re.compile(
    r"`[^`\n]*`|<!--.*?-->|<[^>]*>|\]\([^)]*\)|https?://\S+|\$[^$\n]*\$", re.S)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
                  r"|\b(?:src|href)=[\"']([^\"']+)[\"']")
COLAB_URL = "https://colab.research.google.com/github/digitlab/digitlab/blob/main/"
FONT_WARNINGS = ("missing from font", "no font with Chinese glyphs")
"""Output text that means a plot shows empty boxes (tofu) where Chinese should be:
matplotlib's "Glyph ... missing from font(s)" and digitlab.i18n's warning."""

_IGNORED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
            tokenize.DEDENT, tokenize.ENDMARKER}
_FSTRING = ({getattr(tokenize, "FSTRING_START", -1)}, {getattr(tokenize, "FSTRING_END", -1)})


def source(cell) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def cell_role(cell) -> str | None:
    """PARAMETERS for the cell that sets FAST, COLAB for the Colab set-up cell, else None."""
    if cell["cell_type"] != "code":
        return None
    text = source(cell)
    if '"google.colab" in sys.modules' in text:
        return COLAB
    if re.search(r"^FAST\s*=", text, re.M):
        return PARAMETERS
    return None


def _without_zh_lines(code: str, role: str | None) -> tuple[str, list[str]]:
    """`code` without the twin's own lines for a cell of `role`, and those found missing."""
    wanted = ZH_ONLY_LINES.get(role, ())
    kept, found = [], set()
    for line in code.splitlines():
        bare = line.split("#")[0].strip() if not line.lstrip().startswith("!") else line.strip()
        if bare in wanted:
            found.add(bare)
        else:
            kept.append(line)
    return "\n".join(kept), [line for line in wanted if line not in found]


def tokens(code: str) -> list[tuple[str, str]]:
    """The cell's Python tokens as (kind, text): IPython's `%magic` and `!shell` lines as
    the calls IPython runs, comments and line structure left out, an f-string one token."""
    python = TransformerManager().transform_cell(code)
    found: list[tuple[str, str]] = []
    depth, pieces = 0, []
    for token in tokenize.generate_tokens(io.StringIO(python).readline):
        if token.type in _FSTRING[0]:
            depth += 1
        if depth:  # Python >= 3.12 splits f-strings into parts: join them again
            pieces.append(token.string)
            if token.type in _FSTRING[1]:
                depth -= 1
                if not depth:
                    found.append(("STRING", "".join(pieces)))
                    pieces = []
            continue
        if token.type not in _IGNORED:
            found.append((tokenize.tok_name[token.type], token.string))
    return found


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
"""A string inside a field (`{digits or 'none'}`): its words are read, so it is translated."""


def _translated(quoted: re.Match) -> str:
    return "'…'"  # its words and separators ("none", ", ") are read: they may be translated


def _fields(literal: str) -> list[str] | None:
    """The `{fields}` of a string literal, sorted (a translation may reorder them)."""
    body = literal.lstrip("rRbBuUfF")
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    try:
        return sorted(f"{_QUOTED.sub(_translated, name)}!{conv}:{spec}" for _, name, spec, conv
                      in string.Formatter().parse(body[len(quote):-len(quote)])
                      if name is not None)
    except ValueError:
        return None


_JOIN = "\x00"  # between adjacent literals of one string (no literal in a lesson holds it)


def _joined_strings(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Adjacent string literals as one token, the way Python joins them: a translation may
    move words and fields from one piece of `"..." f"..."` to the next."""
    joined: list[tuple[str, str]] = []
    for kind, text in found:
        if kind == "STRING" and joined and joined[-1][0] == "STRING":
            joined[-1] = ("STRING", joined[-1][1] + _JOIN + text)
        else:
            joined.append((kind, text))
    return joined


def _string_parts(literals: str) -> tuple[list[str], list[str]]:
    """The prefixes (f, r, b) and the `{fields}` of adjacent literals."""
    pieces = literals.split(_JOIN)
    prefixes = sorted({re.match(r"[rRbBuUfF]*", piece)[0].lower() for piece in pieces})
    fields = sorted({field for piece in pieces for field in (_fields(piece) or ["?"])})
    return prefixes, fields


def _strings_twin(english: str, chinese: str) -> bool:
    """String literals (adjacent ones joined) may differ when the Chinese is a translation:
    it has Chinese, the same prefixes (f, r, b) and the same `{fields}`."""
    return CJK.search(chinese) is not None and _string_parts(english) == _string_parts(chinese)


def code_problems(english: str, chinese: str, role: str | None) -> list[str]:
    """How the code of a Chinese cell differs from its English twin's beyond what is allowed."""
    chinese, missing = _without_zh_lines(chinese, role)
    problems = [f"the {role} cell lacks the line {line!r}" for line in missing]
    try:
        ours, theirs = tokens(english), tokens(chinese)
    except (SyntaxError, tokenize.TokenError) as exc:
        return [*problems, f"cannot read the code as Python: {exc}"]
    ours, theirs = _joined_strings(ours), _joined_strings(theirs)
    for (kind, en), (zh_kind, zh) in zip(ours, theirs, strict=False):
        if (kind, en) != (zh_kind, zh) and not (kind == zh_kind == "STRING"
                                                and _strings_twin(en, zh)):
            what = "a string changed without being translated" if kind == zh_kind == "STRING" \
                else "code differs from the English"
            return [*problems, f"{what}: {en!r} became {zh!r}"]
    if len(ours) != len(theirs):
        longer, extra = ("English", ours) if len(ours) > len(theirs) else ("Chinese", theirs)
        first = extra[min(len(ours), len(theirs))][1]
        problems.append(f"code differs from the English: the {longer} has more code from {first!r}")
    return problems


def headings(markdown: str) -> list[tuple[int, str]]:
    """Each heading's (level, section number or ""), code blocks left out."""
    text = FENCE.sub("", markdown)
    return [(len(match[1]), number[0] if (number := SECTION_NUMBER.match(match[2])) else "")
            for match in HEADING.finditer(text)]


def prose(markdown: str) -> str:
    """The words a reader reads: code, HTML, link targets, URLs and math left out."""
    return NOT_PROSE.sub(" ", FENCE.sub(" ", markdown))


def twin_problems(english, chinese) -> list[str]:
    """Every way the notebook `chinese` is not the twin of `english` (nbformat dicts)."""
    en_cells, zh_cells = english["cells"], chinese["cells"]
    problems = []
    if len(en_cells) != len(zh_cells):
        problems.append(f"cell {min(len(en_cells), len(zh_cells))}: the English has "
                        f"{len(en_cells)} cells, the Chinese {len(zh_cells)}")
    roles = {cell_role(cell) for cell in en_cells}
    for number, (en, zh) in enumerate(zip(en_cells, zh_cells, strict=False)):
        problems += [f"cell {number}: {problem}" for problem in _cell_problems(en, zh)]
        if en["cell_type"] != zh["cell_type"]:
            break  # the cells are out of step: what follows would only repeat it
    roles.discard(None)
    for role in sorted(set(ZH_ONLY_LINES) - roles):
        problems.append(f"cell 0: the English has no {role} cell for the Chinese lines")
    return problems


def _cell_problems(en, zh) -> list[str]:
    if en["cell_type"] != zh["cell_type"]:
        return [f"a {zh['cell_type']} cell where the English has a {en['cell_type']} cell"]
    problems = []
    tags = (en.get("metadata", {}).get("tags", []), zh.get("metadata", {}).get("tags", []))
    if tags[0] != tags[1]:
        problems.append(f"tags {tags[1]} where the English has {tags[0]}")
    if en["cell_type"] == "code":
        problems += code_problems(source(en), source(zh), cell_role(en))
    elif en["cell_type"] == "markdown":
        if headings(source(en)) != headings(source(zh)):
            problems.append(f"headings (level, number) {headings(source(zh))} where the "
                            f"English has {headings(source(en))}")
        if LATIN_WORD.search(prose(source(zh))) and not CJK.search(prose(source(zh))):
            problems.append("markdown with words but no Chinese: translate it")
    return problems


def _output_text(cell) -> Iterator[str]:
    for output in cell.get("outputs", ()):
        text = output.get("text", "")
        yield text if isinstance(text, str) else "".join(text)
        for value in output.get("data", {}).values():
            if isinstance(value, str | list):
                yield value if isinstance(value, str) else "".join(value)
        yield output.get("evalue", "")


def tofu_problems(notebook) -> list[str]:
    """Outputs saying that Chinese text was drawn without a font for it (`FONT_WARNINGS`)."""
    return [f"cell {number}: an output says a font lacks Chinese glyphs: {line.strip()[:120]}"
            for number, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"
            for text in _output_text(cell) for line in text.splitlines()
            if any(warning in line for warning in FONT_WARNINGS)]


def link_targets(markdown: str) -> Iterator[str]:
    """The targets of markdown links and images and of HTML src/href in one cell."""
    for match in LINK.finditer(FENCE.sub("", markdown)):
        yield match[1] or match[2]


def link_problems(notebook, path: Path) -> list[str]:
    """Relative links and images of the notebook at `path` that lead to no file."""
    problems = []
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for target in link_targets(source(cell)):
            if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|#", target):
                continue  # a URL (http:, attachment:, mailto:) or a place in this notebook
            file = unquote(target.split("#")[0].split("?")[0])
            if not (path.parent / file).exists():
                problems.append(f"cell {number}: the link {target!r} leads to no file")
    return problems


def colab_url(relative: str) -> str:
    """The Colab address of the notebook at `relative` (a path under the checkout)."""
    return COLAB_URL + relative


def edition_link_problems(notebook, relative: str, english_relative: str) -> list[str]:
    """A Chinese notebook at `relative` opens itself in Colab (not the English one) and links
    to its English twin at `english_relative` (both paths under the checkout)."""
    text = "\n".join(source(cell) for cell in notebook["cells"]
                     if cell["cell_type"] == "markdown")
    problems = [f"cell {number}: Colab opens {url[len(COLAB_URL):]}, not {relative}"
                for number, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "markdown"
                for url in re.findall(re.escape(COLAB_URL) + r"[^)\s\"']+", source(cell))
                if url != colab_url(relative)]
    if colab_url(relative) not in text:
        problems.append(f"cell 0: no Colab badge opening {relative}")
    here = Path(relative).parent
    english = [target for target in link_targets(text)
               if _normalized(here / unquote(target.split("#")[0])) == Path(english_relative)]
    if not english:
        problems.append(f"cell 0: no link to the English edition ({english_relative})")
    return problems


def _normalized(path: Path) -> Path:
    """`path` with its `..` resolved textually (no file system: the paths are relative)."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
            else:
                parts.append(part)
        elif part != ".":
            parts.append(part)
    return Path(*parts)
