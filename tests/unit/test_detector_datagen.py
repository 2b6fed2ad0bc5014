"""The generator's additions for the kinds the detector missed most on generated validation
screens: plain native check boxes and radios in lists, links inside running text and in
lists, borderless glyph button rows, and small pages shot at a high device scale."""

from __future__ import annotations

import json
import random
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from guiagent.grounding_models.detector import CLASSES
from guiagent.grounding_models.detector import widgets as w
from guiagent.grounding_models.detector.layouts import feed_post, small_page
from guiagent.grounding_models.detector.theme import Theme, random_theme


class _Tags(HTMLParser):
    """Start tags with their attributes, in document order, and the text outside them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in ("input", "img", "br"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if "a" not in self._stack and data.strip():
            self.text.append(data.strip())


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _kinds(html: str) -> list[str]:
    return [a["data-k"] for _, a in _parse(html).tags if "data-k" in a]


def _theme(seed: int = 1) -> Theme:
    return random_theme(random.Random(seed))


@pytest.mark.parametrize("kind", ["checkbox", "radio_button"])
def test_plain_toggle_is_a_native_input_at_its_default_size_inside_its_label(kind: str) -> None:
    tags = _parse(w.plain_toggle(random.Random(3), _theme(), kind)).tags
    assert tags[0][0] == "label" and tags[0][1]["data-k"] == kind
    inputs = [a for tag, a in tags if tag == "input"]
    assert len(inputs) == 1
    assert inputs[0]["type"] == ("checkbox" if kind == "checkbox" else "radio")
    assert "style" not in inputs[0]  # the browser's own size and margins


def test_choice_list_holds_two_to_seven_options_of_one_kind() -> None:
    seen = set()
    for seed in range(40):
        kinds = _kinds(w.choice_list(random.Random(seed), _theme(seed)))
        assert 2 <= len(kinds) <= 7
        assert len(set(kinds)) == 1 and kinds[0] in ("checkbox", "radio_button")
        seen.add(kinds[0])
    assert seen == {"checkbox", "radio_button"}


def test_action_row_is_borderless_glyph_buttons_with_counts_outside_their_boxes() -> None:
    for seed in range(20):
        html = w.action_row(random.Random(seed), _theme(seed))
        tags = _parse(html).tags
        buttons = [i for i, (_, a) in enumerate(tags) if a.get("data-k") == "icon_button"]
        assert 3 <= len(buttons) <= 6
        for i in buttons:
            assert "border" not in tags[i][1]["style"]
            glyph = tags[i + 1][1]["style"]  # the glyph span is the button's only child
            assert "FontAwesome" in glyph
        codes = {int(c, 10) for c in _between(html, "&#", ";")}
        assert codes <= set(w.ACTION_GLYPHS)


def _between(text: str, start: str, end: str) -> list[str]:
    out = []
    for part in text.split(start)[1:]:
        out.append(part.split(end, 1)[0])
    return out


def test_link_paragraph_puts_unwrapping_links_among_plain_words() -> None:
    counts = []
    for seed in range(30):
        html = w.link_paragraph(random.Random(seed), _theme(seed))
        parsed = _parse(html)
        links = [a for tag, a in parsed.tags if tag == "a"]
        assert all(a["data-k"] == "link" and "nowrap" in a["style"] for a in links)
        assert parsed.text  # running text outside the links
        counts.append(len(links))
    assert max(counts) >= 3 and min(counts) <= 1


def test_link_list_draws_every_entry_as_a_link() -> None:
    for seed in range(20):
        kinds = _kinds(w.link_list(random.Random(seed), _theme(seed)))
        assert 2 <= len(kinds) <= 8 and set(kinds) == {"link"}


def test_feed_post_has_a_button_row_under_each_post() -> None:
    for seed in range(10):
        kinds = _kinds(feed_post(random.Random(seed), _theme(seed)))
        assert kinds.count("icon_button") >= 3
        assert set(kinds) <= {"icon_button", "link"}


def test_list_rows_put_the_same_icon_buttons_at_the_right_of_every_row() -> None:
    for seed in range(15):
        html = w.list_rows(random.Random(seed), _theme(seed))
        kinds = _kinds(html)
        rows = html.count("justify-content:space-between")
        assert 2 <= rows <= 6 and set(kinds) == {"icon_button"}
        assert len(kinds) % rows == 0 and 1 <= len(kinds) // rows <= 3
        assert set(int(c) for c in _between(html, "&#", ";")) <= set(w.ACTION_GLYPHS)


def test_tree_items_are_links_indented_by_level() -> None:
    for seed in range(15):
        html = w.tree(random.Random(seed), _theme(seed))
        assert 3 <= len(_kinds(html)) <= 9 and set(_kinds(html)) == {"link"}
        indents = {int(p.split()[3][:-2]) for p in _between(html, "padding:", '"')}
        assert indents <= {12, 30, 48, 66}


def test_editor_area_is_one_large_text_field() -> None:
    for seed in range(10):
        html = w.editor_area(random.Random(seed), _theme(seed))
        (tag, attrs), *_ = _parse(html).tags
        assert tag == "textarea" and attrs["data-k"] == "text_field"
        height = int(attrs["style"].split("height:")[1].split("px")[0])
        assert height >= 160


def test_small_page_is_the_same_for_a_seed_and_always_has_controls() -> None:
    for seed in range(25):
        html, theme = small_page(random.Random(seed))
        assert html == small_page(random.Random(seed))[0]
        assert 11 <= theme.font_size <= 20
        kinds = _kinds(html)
        assert kinds and set(kinds) <= set(CLASSES)
    assert small_page(random.Random(1))[0] != small_page(random.Random(2))[0]


def test_theme_font_sizes_reach_twenty_pixels() -> None:
    sizes = {random_theme(random.Random(seed)).font_size for seed in range(300)}
    assert min(sizes) == 11 and max(sizes) == 20


@pytest.mark.browser
def test_small_pages_render_at_a_high_device_scale(tmp_path: Path) -> None:
    from guiagent.grounding_models.detector.datagen import SMALL_SCALES, render

    render(tmp_path, count=3, seed=4, small_share=1.0)
    lines = [json.loads(line) for line in (tmp_path / "labels.jsonl").read_text().splitlines()]
    assert len(lines) == 3
    for line in lines:
        with Image.open(tmp_path / line["image"]) as img:
            assert img.size == (line["width"], line["height"])
        # small views: at most 640 x 600 CSS pixels at the largest scale
        assert line["width"] <= 640 * max(SMALL_SCALES) and line["height"] <= 600 * 2
        assert line["boxes"]
        for x0, y0, x1, y1, cls in line["boxes"]:
            assert cls in CLASSES
            assert 0 <= x0 < x1 <= line["width"] and 0 <= y0 < y1 <= line["height"]
