"""The pages' languages without a browser: i18n.js's pure functions run by node, and the
texts the export writes (every key the pages name is in `digitlab.texts`, in both languages)."""

from __future__ import annotations

import json
import re

from page_js import run_page_module

from digitlab.i18n import LANGUAGES
from digitlab.texts import TEXTS
from digitlab.web.export import PAGE_DIR, PAGE_TEXTS, page_texts


def _node(script: str) -> object:
    """Run `script` with i18n.js imported as `i`; what it prints as JSON."""
    return run_page_module("i18n.js", "i", script)


def test_the_browser_language_picks_chinese_or_english_and_a_choice_wins():
    cases = [
        (["zh-CN", "en"], None), (["zh-TW"], None), (["zh"], None), (["fr-FR", "zh-HK"], None),
        (["en-US", "zh-CN"], None), (["de-DE"], None), ([], None), (None, None),
        (["zh-CN"], "en"), (["en-US"], "zh"), (["zh-CN"], "fr"),
    ]
    picked = _node(f"""
        const cases = {json.dumps(cases)};
        console.log(JSON.stringify(cases.map(([preferred, stored]) =>
          i.pickLanguage(preferred, stored, ["en", "zh"]))));""")
    assert picked == ["zh", "zh", "zh", "zh", "en", "en", "en", "en", "en", "zh", "zh"]


def test_fill_and_relabel_give_elements_their_texts_in_one_language():
    texts = page_texts()["zh"]
    shown = _node(f"""
        const texts = {json.dumps(texts, ensure_ascii=False)};
        const element = (dataset) => ({{ dataset, attributes: {{}}, textContent: "old",
          setAttribute(name, value) {{ this.attributes[name] = value; }} }});
        const label = element({{ text: "pad.prediction", fields: '{{"digit":7}}' }});
        const bar = element({{ title: "pad.bar", fields: '{{"digit":3}}' }});
        const canvas = element({{ aria: "web.canvas_aria" }});
        const plain = element({{}});
        i.relabel([label, bar, canvas, plain], texts);
        const nested = i.fill(texts, "web.finished", {{ outcome: {{ key: "web.done" }},
          accuracy: {{ key: "web.val_accuracy", fields: {{ percent: "97.5" }} }},
          kept: {{ key: "web.kept" }} }});
        let missing = null;
        try {{ i.fill(texts, "pad.prediction", {{}}); }}
        catch (error) {{ missing = error.message; }}
        console.log(JSON.stringify([label.textContent, bar.attributes.title,
          canvas.attributes["aria-label"], plain.textContent, nested, missing,
          i.htmlLang("zh"), i.htmlLang("en")]));""")
    assert shown == [
        "预测：7", "3 的概率", "书写区域：请写一个数字", "old",
        "训练完成，验证准确率 97.5%。下面的手写板现在用这个模型识别。",
        'the text "pad.prediction" needs a value for {digit}', "zh-CN", "en",
    ]


def test_the_page_texts_are_the_catalogs_in_every_language():
    texts = page_texts()
    assert set(texts) == set(LANGUAGES)
    keys = {key for key in TEXTS if key.startswith(PAGE_TEXTS)}
    for lang in LANGUAGES:
        assert set(texts[lang]) == keys
        assert texts[lang]["pad.empty"] == TEXTS["pad.empty"][lang]


def test_every_text_the_pages_name_is_in_the_catalog_and_every_web_text_is_used():
    named = set()
    for path in [*PAGE_DIR.glob("*.js"), *PAGE_DIR.glob("*.html")]:
        source = path.read_text(encoding="utf-8")
        named.update(re.findall(r'"((?:pad|collector|web)\.\w+)"', source))
    assert {"pad.prediction", "web.footer_html", "collector.prompt_an", "web.kept"} <= named
    catalog = set(page_texts()["en"])
    assert named <= catalog, f"not in digitlab.texts: {sorted(named - catalog)}"
    unused = {key for key in catalog - named if key.startswith("web.")}
    assert not unused, f"web texts no page shows: {sorted(unused)}"
