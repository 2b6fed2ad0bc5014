"""Model manifests: the shipped OCR models verify; a corrupt or missing file fails clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guiagent.errors import PerceptionError
from guiagent.grounding_models.manifest import load_manifest, sha256_of, verified_path

NAMES = ["ocr_det_ppocrv6_small", "ocr_rec_ppocrv6_small", "icon_classifier"]


@pytest.mark.parametrize("name", NAMES)
def test_bundled_models_match_their_manifests(name: str) -> None:
    manifest = load_manifest(name)
    path = verified_path(manifest)
    assert path.stat().st_size == manifest.size_bytes
    assert manifest.licence and manifest.source and manifest.inputs


def test_a_corrupt_copy_is_refused_with_both_digests(tmp_path: Path) -> None:
    manifest = load_manifest(NAMES[0])
    copy = tmp_path / manifest.file
    shutil.copyfile(manifest.path(), copy)
    with copy.open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\x00\x01\x02\x03")
    with pytest.raises(PerceptionError) as err:
        verified_path(manifest, copy)
    text = str(err.value)
    assert str(copy) in text and manifest.sha256 in text and sha256_of(copy) in text


def test_missing_file_and_unknown_manifest(tmp_path: Path) -> None:
    manifest = load_manifest(NAMES[1])
    with pytest.raises(PerceptionError, match="missing"):
        verified_path(manifest, tmp_path / "nothing.onnx")
    with pytest.raises(PerceptionError, match="known: icon_classifier, ocr_det"):
        load_manifest("no_such_model")
