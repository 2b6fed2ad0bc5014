"""The project's element detector: the shipped ONNX model on a held-out real screen, its
checksum guard, its input checks, the OpenCV contour baseline, the CenterNet target encoding
against the runtime decoder, and the synthetic-screen generator in a real Chromium."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image

from guiagent.errors import PerceptionError
from guiagent.grounding_models.detector import CLASSES
from guiagent.grounding_models.detector.targets import CANVAS, STRIDE, encode
from guiagent.grounding_models.manifest import load_manifest
from guiagent.observation import Box, Element
from guiagent.perception.contours import detect_contours
from guiagent.perception.detector import ElementDetector, decode, nms

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT = ROOT / "benchmarks" / "detector_set"


def _held_out(name: str) -> tuple[np.ndarray, list[list[Any]]]:
    for line in (HELD_OUT / "labels.jsonl").read_text().splitlines():
        item = json.loads(line)
        if item["image"] == f"images/{name}":
            with Image.open(HELD_OUT / item["image"]) as img:
                return np.asarray(img.convert("RGB")), item["boxes"]
    raise AssertionError(f"{name} is not in the held-out set")


@pytest.fixture(scope="module")
def detector() -> ElementDetector:
    return ElementDetector()


def test_shipped_model_matches_its_manifest_and_resolves_in_the_package() -> None:
    manifest = load_manifest("ui_detector")
    path = manifest.path()
    assert path.parent.name == "models" and path.parent.parent.name == "grounding_models"
    assert path.stat().st_size == manifest.size_bytes < 20_000_000
    assert manifest.classes == list(CLASSES)


# screens the shipped model gets right (its figures over the whole set are in its manifest):
# a regression guard that a retrained or mis-exported model must still pass
@pytest.mark.parametrize(
    "name", ["web_editor.png", "mousepad_replace_dialog.png", "miniwob_enter-password_29.png"]
)
def test_finds_the_fields_and_buttons_of_a_held_out_screen(
    detector: ElementDetector, name: str
) -> None:
    image, truth = _held_out(name)
    wanted = [t for t in truth if t[4] in ("button", "text_field")]
    assert wanted
    found = detector.detect(image)
    assert all(el.source == "detector" and 0 < el.score <= 1 for el in found)
    hits = 0
    for x0, y0, x1, y1, _ in wanted:
        box = Box(left=int(x0), top=int(y0), right=int(x1), bottom=int(y1))
        hits += any(el.box.iou(box) >= 0.5 for el in found)
    assert hits >= 0.8 * len(wanted), f"{hits}/{len(wanted)} found"


def test_a_wide_screen_is_read_on_the_wide_canvas_and_boxes_come_back_in_its_pixels(
    detector: ElementDetector,
) -> None:
    """A 1280 px page is fitted into the wide canvas (0.6, not 0.4: its small controls stay
    legible); a window keeps the trained one. Boxes are in the screenshot's own pixels."""
    from guiagent.perception.detector import CANVAS, WIDE_CANVAS

    assert detector.canvas_for(1280) == WIDE_CANVAS and detector.canvas_for(642) == CANVAS
    image, truth = _held_out("web_login.png")
    assert image.shape[1] >= 1000
    found = detector.detect(image)
    boxes = [Box(left=int(t[0]), top=int(t[1]), right=int(t[2]), bottom=int(t[3])) for t in truth]
    hits = sum(any(el.box.iou(b) >= 0.5 for el in found) for b in boxes)
    assert hits >= 0.6 * len(boxes), f"{hits}/{len(boxes)} found"


def test_a_corrupt_or_missing_model_file_is_refused(tmp_path: Path) -> None:
    manifest = load_manifest("ui_detector")
    copy = tmp_path / manifest.file
    shutil.copyfile(manifest.path(), copy)
    with copy.open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00\x01\x02\x03")
    with pytest.raises(PerceptionError, match="does not match its manifest"):
        ElementDetector(copy)
    with pytest.raises(PerceptionError, match="missing"):
        ElementDetector(tmp_path / "absent.onnx")


def test_an_empty_image_is_refused(detector: ElementDetector) -> None:
    with pytest.raises(PerceptionError, match="RGB image"):
        detector.detect(np.zeros((0, 0, 3), np.uint8))
    with pytest.raises(PerceptionError, match="RGB image"):
        detector.detect(np.zeros((40, 40), np.uint8))


def test_contour_baseline_finds_framed_controls_on_a_synthetic_screen() -> None:
    image = np.full((400, 800, 3), 245, np.uint8)
    drawn = {
        "button": (30, 30, 130, 62),
        "text_field": (30, 100, 330, 128),
        "checkbox": (30, 160, 46, 176),
    }
    cv2.rectangle(image, drawn["button"][:2], drawn["button"][2:], (200, 200, 200), -1)
    cv2.rectangle(image, drawn["button"][:2], drawn["button"][2:], (90, 90, 90), 1)
    cv2.rectangle(image, drawn["text_field"][:2], drawn["text_field"][2:], (255, 255, 255), -1)
    cv2.rectangle(image, drawn["text_field"][:2], drawn["text_field"][2:], (120, 120, 120), 1)
    cv2.rectangle(image, drawn["checkbox"][:2], drawn["checkbox"][2:], (60, 60, 60), 1)
    cv2.putText(image, "Label text", (60, 175), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1)
    found = detect_contours(image)
    for role, (x0, y0, x1, y1) in drawn.items():
        box = Box(left=x0, top=y0, right=x1 + 1, bottom=y1 + 1)
        assert any(el.box.iou(box) >= 0.5 for el in found), role
    with pytest.raises(PerceptionError):
        detect_contours(np.zeros((0, 0, 3), np.uint8))


def test_training_targets_decode_back_to_their_boxes() -> None:
    """What train.py teaches (targets.encode) is what the runtime reads (detector.decode)."""
    boxes = np.array([[40, 30, 140, 58], [200, 100, 216, 116], [300, 200, 480, 230]], np.float32)
    classes = np.array([0, 3, 2])
    t = encode(boxes, classes)
    oh, ow = CANVAS[0] // STRIDE, CANVAS[1] // STRIDE
    size = np.zeros((2, oh, ow), np.float32)
    offset = np.zeros((2, oh, ow), np.float32)
    for k in np.nonzero(t["mask"])[0]:
        y, x = divmod(int(t["index"][k]), ow)
        size[:, y, x] = t["size"][k]
        offset[:, y, x] = t["offset"][k]
    assert t["heat"].shape[0] == len(CLASSES) + 1  # the last channel: any class
    for any_class in (True, False):
        heat = t["heat"] if any_class else t["heat"][:-1]
        got, scores, labels = decode(heat, size, offset, min_score=0.99, any_class=any_class)
        keep = nms(got, scores, 0.5)
        assert len(keep) == 3
        for box, cls in zip(boxes, classes, strict=True):
            match = [i for i in keep if np.abs(got[i] - box).max() < 1.0]
            assert match and labels[match[0]] == cls


def test_the_any_class_channel_finds_an_element_whose_classes_split_the_confidence() -> None:
    """Two classes at 0.25 each and the any-class channel at 0.6: one element, of the
    stronger class, found at a threshold neither class channel reaches."""
    oh, ow = CANVAS[0] // STRIDE, CANVAS[1] // STRIDE
    heat = np.zeros((len(CLASSES) + 1, oh, ow), np.float32)
    heat[CLASSES.index("tab"), 10, 20] = 0.26
    heat[CLASSES.index("menu_item"), 10, 20] = 0.25
    heat[-1, 10, 20] = 0.6
    size = np.full((2, oh, ow), np.log(20.0), np.float32)
    offset = np.zeros((2, oh, ow), np.float32)
    boxes, scores, labels = decode(heat, size, offset, min_score=0.3, any_class=True)
    assert len(boxes) == 1 and scores[0] == pytest.approx(0.6)
    assert CLASSES[labels[0]] == "tab"
    assert len(decode(heat[:-1], size, offset, min_score=0.3)[0]) == 0


def test_detector_network_shapes() -> None:
    torch = pytest.importorskip("torch")
    from guiagent.grounding_models.detector.model import Detector

    heat, size, offset = Detector().eval()(torch.rand(1, 3, *CANVAS))
    assert heat.shape == (1, len(CLASSES) + 1, CANVAS[0] // STRIDE, CANVAS[1] // STRIDE)
    assert size.shape[1] == offset.shape[1] == 2


@pytest.mark.browser
def test_datagen_writes_valid_labels_for_two_screens(tmp_path: Path) -> None:
    from guiagent.grounding_models.detector.datagen import render

    total = render(tmp_path, count=2, seed=5)
    lines = [json.loads(line) for line in (tmp_path / "labels.jsonl").read_text().splitlines()]
    assert len(lines) == 2 and total == sum(len(line["boxes"]) for line in lines) > 0
    for line in lines:
        with Image.open(tmp_path / line["image"]) as img:
            assert img.size == (line["width"], line["height"])
        for x0, y0, x1, y1, cls in line["boxes"]:
            assert cls in CLASSES
            assert 0 <= x0 < x1 <= line["width"] and 0 <= y0 < y1 <= line["height"]


def test_the_perceiver_runs_the_detector_lazily_where_no_tree_comes() -> None:
    from guiagent.config import PerceptionConfig
    from guiagent.perception.perceiver import Perceiver

    image, _ = _held_out("web_editor.png")
    perceiver = Perceiver(PerceptionConfig(ocr=False, detector=True))
    assert perceiver._detector is None  # nothing loaded before the first frame
    screen = perceiver.perceive_image(image)
    assert "detector" in screen.timings_ms
    assert any(el.source == "detector" for el in screen.elements)
    off = Perceiver(PerceptionConfig(ocr=False, detector=False)).perceive_image(image)
    assert "detector" not in off.timings_ms and off.elements == []


def test_training_can_start_from_the_shipped_onnx_model() -> None:
    """onnx_init puts the exported (BatchNorm-folded) weights back into the torch network:
    in eval mode it computes what onnxruntime computes on the shipped file (and a file without
    the any-class heatmap channel gets one added)."""
    torch = pytest.importorskip("torch")
    import onnxruntime as ort

    from guiagent.grounding_models.detector.model import Detector
    from guiagent.grounding_models.detector.onnx_init import load_from_onnx
    from guiagent.grounding_models.manifest import verified_path

    path = verified_path(load_manifest("ui_detector"))
    image, _ = _held_out("galculator_basic.png")
    canvas = np.zeros((1, 3, *CANVAS), np.float32)
    canvas[0, :, : image.shape[0], : image.shape[1]] = image.transpose(2, 0, 1) / 255.0
    model = Detector()
    load_from_onnx(model, path, [torch.from_numpy(canvas)])
    model.eval()
    with torch.no_grad():
        ours = [t.numpy() for t in model(torch.from_numpy(canvas))]
    theirs = ort.InferenceSession(str(path)).run(None, {"image": canvas})
    for a, b in zip(ours, theirs, strict=True):
        # a file from before the any-class channel: the channels it has are reproduced
        assert np.abs(a[:, : b.shape[1]] - b).max() < 1e-3


def test_a_detected_box_across_two_found_fields_is_a_ghost_not_a_missed_field() -> None:
    """Three stacked fields found by their frames; the detector also boxes the gap between
    the first two. That box is not added (ordinals would count it), a field the finders
    missed is."""
    from guiagent.perception.perceiver import _missed

    def field(top: int, source: str = "detector") -> Element:
        return Element(role="text_field", box=Box(left=16, top=top, right=149, bottom=top + 21),
                       source=source)  # fmt: skip

    kept = [field(61), field(98), field(132)]
    assert not _missed(field(80), kept)  # across the first two
    # in the gap, touching the first and ending a pixel short of the second
    gap = Element(role="text_field", box=Box(left=23, top=80, right=144, bottom=97),
                  source="detector")  # fmt: skip
    assert not _missed(gap, kept)
    assert not _missed(field(99), kept)  # one of theirs
    assert _missed(field(170), kept)  # one they missed


GALCULATOR = ROOT / "tests" / "data" / "galculator"


def _frames(n: int) -> list[np.ndarray]:
    paths = sorted(GALCULATOR.glob("frame*.png"))[:n]
    return [np.asarray(Image.open(p).convert("RGB")) for p in paths]


def _matched(a: list[Element], b: list[Element], iou: float = 0.8) -> int:
    from guiagent.grounding_models.detector import box_iou

    return sum(any(box_iou(x.box.as_list(), y.box.as_list()) >= iou for y in b) for x in a)


def test_a_frame_changed_in_parts_is_detected_again_only_there(
    detector: ElementDetector,
) -> None:
    """After a key press only the display and the key differ: the elements elsewhere are the
    previous frame's, the changed parts are read again, and the result is (nearly) what a
    full pass over the new frame finds."""
    from guiagent.perception.regions import changed_regions

    before, after = _frames(2)
    previous = detector.detect(before)
    changed = changed_regions(before, after)
    assert changed and sum(b.area for b in changed) < 0.05 * after.shape[0] * after.shape[1]
    again = detector.detect_changed(after, previous, changed)
    # a change inside a control (the display's digits) is read again with the control
    touched = [el.box for el in previous if any(el.box.intersection(c) for c in changed)]
    covered = [*changed, *touched]
    away = [el for el in previous if not any(el.box.intersection(c) for c in covered)]
    assert away and all(el in again for el in away)  # the same objects, not re-detected
    fresh = [el for el in again if el not in previous]
    assert fresh and all(any(el.box.intersection(c) for c in covered) for el in fresh)
    full = detector.detect(after)
    assert _matched(full, again) >= 0.85 * len(full)


def test_a_frame_changed_over_most_of_it_is_detected_whole(detector: ElementDetector) -> None:
    before, after = _frames(2)
    h, w = after.shape[:2]
    everywhere = [Box(left=0, top=0, right=w, bottom=h)]
    assert detector.detect_changed(after, detector.detect(before), everywhere) == detector.detect(
        after
    )


def test_the_perceiver_reuses_detections_where_ocr_saw_no_change() -> None:
    """The detector follows OCR's comparison with the previous frame: a whole pass on a cold
    frame, the changed parts on the next, nothing on an identical one; after a reset (another
    image), a whole pass again."""
    from guiagent.config import PerceptionConfig
    from guiagent.perception.perceiver import Perceiver

    perceiver = Perceiver(PerceptionConfig(icons=False))
    calls: list[str] = []
    detector = perceiver.detector
    whole, parts = detector.detect, detector.detect_changed

    def counted_whole(image: np.ndarray) -> list[Element]:
        calls.append("whole")
        return whole(image)

    def counted_parts(image: np.ndarray, prev: list[Element], changed: list[Box]) -> list[Element]:
        calls.append("parts")
        return parts(image, prev, changed)

    detector.detect = counted_whole  # type: ignore[method-assign]
    detector.detect_changed = counted_parts  # type: ignore[method-assign]
    first, second = _frames(2)
    screens = [perceiver.perceive_image(f) for f in (first, second, second)]
    perceiver.ocr.reset()
    perceiver.perceive_image(first)
    assert calls == ["whole", "parts", "whole"]
    detected = [[el.box for el in s.elements if el.source == "detector"] for s in screens]
    assert detected[1] == detected[2]  # the identical frame kept the previous detections
