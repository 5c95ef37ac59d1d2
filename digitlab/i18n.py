"""The language a learner reads: one setting, one catalog of texts (lesson 01).

The course comes in two editions, English (`notebooks/`) and Simplified Chinese
(`notebooks/zh/`). Their code cells are the same; the Chinese lessons add one line to their
parameters cell, `set_language("zh")`, and from then on every text the library shows a
learner (plot titles and axis labels, the drawing pad and the collector, the reports and
the exercise checks) comes from `digitlab.texts` in Chinese. Error messages stay English.

`set_language` is the one function here with a global effect, and it says so: the setting
holds for the whole Python process, and for "zh" it also puts a font with Chinese glyphs
into matplotlib's font list, so that Chinese titles do not come out as empty boxes.
"""

from __future__ import annotations

import logging
import sys
import unicodedata
import warnings
from pathlib import Path

from digitlab.texts import TEXTS

LANGUAGES = ("en", "zh")
"""The editions: English and Simplified Chinese."""

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "SimHei",
    "Noto Sans CJK JP",
)
"""Fonts with Chinese glyphs, most preferred first: Debian's (the project installs
fonts-wqy-microhei), then the ones Windows and macOS ship. Last, the name matplotlib gives
a Noto CJK collection file (Debian's fonts-noto-cjk, conda-forge's font-ttf-noto-cjk): it
reads only the file's first face, the Japanese one, whose Han characters serve Chinese too."""

FONT_PACKAGE = "fonts-wqy-microhei"
"""The Debian package `scripts/install-system-packages` installs for the Chinese plots."""

_language = "en"
_font_family: tuple[list[str], list[str]] | None = None  # (before "zh", what "zh" set)


def check_language(lang: str) -> str:
    """`lang` if it is one of `LANGUAGES`, else a ValueError naming them."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


def set_language(lang: str) -> None:
    """Show the library's learner-facing texts in `lang` ("en" or "zh"). Lesson 01.

    The parameters cell of every Chinese lesson (`notebooks/zh/`) calls it.

    Global: it holds for this Python process. For "zh" it also adds a font with Chinese
    glyphs to matplotlib's font list (Latin letters and digits keep matplotlib's default
    font); where no such font is installed it warns once, in one line, and carries on.
    Back to "en", matplotlib's font list is what it was before.
    """
    global _language
    _language = check_language(lang)
    if lang == "zh":
        _use_cjk_font()
    else:
        _drop_cjk_font()


def language() -> str:
    """The language set by `set_language` ("en" until then)."""
    return _language


def tr(key: str, /, lang: str | None = None, **fields: object) -> str:
    """The text `key` of `digitlab.texts` in `lang` (default: the language set), filled in.

    `fields` fill the text's `{placeholders}`: `tr("pad.prediction", digit=7)`.
    """
    text = TEXTS[key][check_language(lang or _language)]
    return text.format(**fields) if fields else text


def tr_name(group: str, name: str) -> str:
    """The text `group.name` of the catalog if there is one, else `name` as given: a name
    the library knows ("test", "loss", "noise") in the language set, a learner's own as
    written. `tr_name("report.on", "test")` is "测试集" in Chinese. Lesson 06."""
    key = f"{group}.{name}"
    return tr(key) if key in TEXTS else name


def text_columns(text: str) -> int:
    """How many columns of a terminal or notebook output `text` takes (a Chinese character
    takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """`text` padded with spaces to `width` columns (`text_columns`), on the right ("<") or
    the left (">"), so that tables line up in both languages."""
    space = " " * max(0, width - text_columns(text))
    return space + text if align == ">" else text + space


def cjk_font_name() -> str | None:
    """The first of `CJK_FONTS` matplotlib can use, or None."""
    from matplotlib import font_manager

    known = {font.name for font in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in known:
            return name
    # Installed after matplotlib built its font cache, or by conda into <env>/fonts, where
    # matplotlib does not look: add the font files by hand.
    found = font_manager.findSystemFonts() + font_manager.findSystemFonts(
        fontpaths=[str(Path(sys.prefix) / "fonts")]
    )
    for path in found:
        if any(part in Path(path).name.lower() for part in ("wqy", "notosanscjk", "sourcehan")):
            font_manager.fontManager.addfont(path)
    known = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in known), None)


class _RegularWeightIsFine(logging.Filter):
    """Drops matplotlib's "Failed to find font weight bold for <CJK font>": the CJK fonts
    come in one weight, so a bold title shows its Chinese in regular weight, as intended."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.msg.startswith("findfont: Failed to find font weight")
                    and any(name in map(str, record.args) for name in CJK_FONTS))


_WEIGHT_FILTER = _RegularWeightIsFine()


def _use_cjk_font() -> None:
    global _font_family
    import matplotlib as mpl

    name = cjk_font_name()
    if name is None:
        warnings.warn(
            f"no font with Chinese glyphs found: plot titles will show empty boxes; install "
            f"one (Debian/Ubuntu: apt-get install {FONT_PACKAGE}) and restart the kernel",
            stacklevel=3,
        )
        return
    default = mpl.rcParamsDefault["font.sans-serif"][0]  # DejaVu Sans
    # Matplotlib falls back glyph by glyph along this list: Latin letters and digits from
    # the default font, Chinese from the CJK font.
    family = [default, name]
    if _font_family is None:
        _font_family = (list(mpl.rcParams["font.family"]), family)
    mpl.rcParams["font.family"] = family
    logging.getLogger("matplotlib.font_manager").addFilter(_WEIGHT_FILTER)  # once: a set


def _drop_cjk_font() -> None:
    """Undo `_use_cjk_font`, unless the font list was changed since."""
    global _font_family
    if _font_family is None:
        return
    import matplotlib as mpl

    before, ours = _font_family
    if list(mpl.rcParams["font.family"]) == ours:
        mpl.rcParams["font.family"] = before
    _font_family = None
