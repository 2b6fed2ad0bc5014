"""The learned icon classifier: icons drawn in no installed set's style (simple strokes and
fills, as a site draws its own) are named by what they show; letters are no icon; it is
asked only about controls the shape matcher leaves unnamed, and can be switched off."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from guiagent.config import PerceptionConfig
from guiagent.observation import Box, Element
from guiagent.perception import icons
from guiagent.perception.icons.classifier import IconClassifier, classifier
from guiagent.perception.icons.shapes import box_shapes

INK = (40, 40, 40)
BOX = Box(left=2, top=2, right=46, bottom=46)


def _page() -> np.ndarray:
    return np.full((48, 48, 3), 255, np.uint8)


def _magnifier() -> np.ndarray:
    img = _page()
    cv2.circle(img, (20, 20), 9, INK, 3, cv2.LINE_AA)
    cv2.line(img, (27, 27), (37, 37), INK, 4, cv2.LINE_AA)
    return img


def _bin() -> np.ndarray:
    img = _page()
    cv2.line(img, (12, 14), (36, 14), INK, 3)
    cv2.rectangle(img, (20, 10), (28, 14), INK, 2)
    body = np.array([[15, 16], [17, 38], [31, 38], [33, 16]])
    cv2.polylines(img, [body], False, INK, 3, cv2.LINE_AA)
    return img


def _play() -> np.ndarray:
    img = _page()
    cv2.fillPoly(img, [np.array([[17, 12], [35, 24], [17, 36]])], INK, cv2.LINE_AA)
    return img


def _star() -> np.ndarray:
    img = _page()
    angles = -np.pi / 2 + np.arange(10) * np.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, 13.0, 5.5)
    points = np.stack([24 + radii * np.cos(angles), 25 + radii * np.sin(angles)], axis=1)
    cv2.fillPoly(img, [points.astype(np.int32)], INK, cv2.LINE_AA)
    return img


def _letter() -> np.ndarray:
    img = _page()
    cv2.putText(img, "G", (12, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.0, INK, 2, cv2.LINE_AA)
    return img


def _naming_nothing() -> icons.IconLibrary:
    """A shape library that matches nothing: every glyph goes to the classifier."""
    return icons.IconLibrary(
        keys=["x"], names=["x"], vectors=np.zeros((1, 24 * 24), np.float32), forms=np.zeros((1, 2))
    )


@pytest.fixture(scope="module")
def model() -> IconClassifier:
    return classifier()


def _shape(image: np.ndarray):  # type: ignore[no-untyped-def]
    whole, plate = box_shapes(image, BOX)
    return plate[0] if plate else whole


@pytest.mark.parametrize(
    ("draw", "said"),
    [(_magnifier, "search"), (_bin, "trash"), (_play, "play"), (_star, "star")],
)
def test_hand_drawn_icons_are_named_by_what_they_show(
    model: IconClassifier, draw: object, said: str
) -> None:
    shape = _shape(draw())  # type: ignore[operator]
    assert shape is not None
    (concept,) = model.classify([shape])
    assert concept is not None and said in concept.name, concept
    assert 0.5 <= concept.probability <= 1.0


def test_a_letter_is_no_icon(model: IconClassifier) -> None:
    shape = _shape(_letter())
    assert shape is None or model.classify([shape]) == [None]


def test_only_controls_the_shape_matcher_leaves_unnamed_are_asked(model: IconClassifier) -> None:
    """With a library that names nothing, the classifier names the bin; a control already
    named (its label) and a field are left alone; without the classifier nothing is named."""
    empty = _naming_nothing()
    image = _bin()
    button = Element(role="button", box=BOX, source="detector", score=0.5)
    labelled = button.model_copy(update={"name": "Empty trash"})
    field = Element(role="text_field", box=BOX, source="detector", score=0.5)
    named, kept, still_field = icons.name_icons(image, [button, labelled, field], empty, model)
    assert "trash" in named.name and named.score >= 0.5
    assert kept.name == "Empty trash" and still_field.name == ""
    assert icons.name_icons(image, [button], empty)[0].name == ""


def test_the_classifier_can_be_switched_off() -> None:
    from guiagent.perception.perceiver import Perceiver

    assert Perceiver(PerceptionConfig(icon_classifier="off")).icon_classifier is None
    assert Perceiver(PerceptionConfig()).icon_classifier is classifier()
    with pytest.raises(ValueError, match="icon_classifier"):
        PerceptionConfig(icon_classifier="sometimes")


def test_names_are_given_again_only_where_the_pixels_changed(
    model: IconClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A frame that changed in one place names only the icon there again: the others keep
    the names their pixels got before."""
    empty = _naming_nothing()
    read: list[Box] = []
    real = icons.box_shapes

    def counted(image: np.ndarray, box: Box):  # type: ignore[no-untyped-def]
        read.append(box)
        return real(image, box)

    monkeypatch.setattr(icons, "box_shapes", counted)
    page = np.concatenate([_bin(), _magnifier()], axis=1)
    left = Element(role="button", box=BOX, source="detector")
    right = Element(role="button", box=Box(left=50, top=2, right=94, bottom=46), source="detector")
    first = icons.name_icons(page, [left, right], empty, model)
    assert len(read) == 2 and "trash" in first[0].name and "search" in first[1].name
    assert icons.name_icons(page, [left, right], empty, model) == first
    assert len(read) == 2  # nothing read again
    page[:, 48:] = _play()
    again = icons.name_icons(page, [left, right], empty, model)
    assert read[2:] == [right.box] and again[0] == first[0] and "play" in again[1].name
