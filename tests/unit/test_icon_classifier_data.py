"""The icon classifier's training data: glyph names become concepts the way a person says
them, synonyms merge, stylesheets are read in every form the icon sets write them, and a
drawing comes out as the namer's input."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from guiagent.grounding_models.icon_classifier import glyphs
from guiagent.grounding_models.icon_classifier.data import sample
from guiagent.perception.icons.catalogue import css_glyphs
from guiagent.perception.icons.classifier import NOT_AN_ICON
from guiagent.perception.icons.shapes import GRID


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("delete-bin-2-line", ["delete", "bin"]),
        ("trash-can-outline", ["trash", "can"]),
        ("circle-x", ["x"]),
        ("circle", ["circle"]),
        ("gear-six-bold", ["gear", "six"]),
        ("heart-filled", ["heart"]),
    ],
)
def test_a_glyph_name_loses_its_drawing_style(key: str, words: list[str]) -> None:
    assert glyphs.plain_words(key) == words


def test_concepts_merge_where_each_names_the_other() -> None:
    merged = glyphs._merge_synonyms({"delete", "trash", "search", "magnifying glass", "home"})
    assert merged["delete"] == merged["trash"]
    assert merged["search"] == merged["magnifying glass"]
    assert len({merged["delete"], merged["search"], merged["home"]}) == 3


def test_concepts_drawn_by_one_family_only_are_left_out() -> None:
    font = Path("/nonexistent.ttf")
    drawn = [
        glyphs.Glyph("a", "trash", font, "x"),
        glyphs.Glyph("b", "delete-line", font, "y"),
        glyphs.Glyph("a", "unicorn-horn", font, "z"),
    ]
    kept = glyphs.with_concepts(drawn)
    assert {g.key for g in kept} == {"trash", "delete-line"}
    assert len({g.concept for g in kept}) == 1


def test_stylesheets_are_read_in_each_sets_form(tmp_path: Path) -> None:
    css = tmp_path / "icons.css"
    css.write_text(
        '.ti-trash:before{content:"\\eb41"}\n'
        '.bi-alarm-fill::before { content: "\\f101"; }\n'
        '.ph.ph-house:before {\n  content: "\\e2c2";\n}\n'
        '.ph-fill.ph-house:before {\n  content: "\\e2c3";\n}\n'
        '.fa-trash-can {\n  --fa: "\\f2ed"; }\n'
        '.ti-trash:before{content:"\\ffff"}\n',  # a second rule for a name: the first counts
        encoding="utf-8",
    )
    assert list(css_glyphs(css, "ti-")) == [("trash", "\ueb41")]
    assert list(css_glyphs(css, "bi-")) == [("alarm-fill", "\uf101")]
    assert list(css_glyphs(css, r"ph(?:-\w+)?\.ph-")) == [("house", "\ue2c2")]
    assert list(css_glyphs(css, "fa-")) == [("trash-can", "\uf2ed")]


def test_missing_npm_fonts_say_how_to_get_them(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="npm install"):
        list(glyphs.npm_glyphs(tmp_path))


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed")
def test_letters_are_drawings_of_no_icon_and_come_out_as_the_namers_input() -> None:
    drawn = list(glyphs.text_glyphs(pairs=10))
    assert drawn and all(g.concept == NOT_AN_ICON for g in drawn)
    assert not {"x", "X", "i", "o", "O"} & {g.char for g in drawn}
    got = sample(drawn[0], random.Random(3))
    assert got is not None
    vector, aspect, density = got
    assert vector.shape == (GRID * GRID,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3
    assert 0.0 < density <= 1.0 and -2.0 < aspect < 2.0
