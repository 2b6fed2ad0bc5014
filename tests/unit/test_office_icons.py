"""LibreOffice's toolbar icons named from its own command labels: a LibreOffice tree in the
layout it installs (an icon theme zip and registry files), with one icon drawn here, so the
reading of labels, the choice of icons and the naming of that icon on a screenshot are checked
without LibreOffice itself."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from guiagent.observation import Box, Element
from guiagent.perception import icons
from guiagent.perception.icons import office

REGISTRY = """<?xml version="1.0"?><oor:data xmlns:oor="http://openoffice.org/2001/registry">
<node oor:name=".uno:SortAscending" oor:op="replace">
 <prop oor:name="Label" oor:type="xs:string"><value xml:lang="en-US">Sort ~Ascending</value></prop>
 <prop oor:name="TooltipLabel" oor:type="xs:string">
  <value xml:lang="en-US">Sort Ascending &amp; Keep</value></prop>
</node>
<node oor:name=".uno:InsertObjectChart" oor:op="replace">
 <prop oor:name="Label" oor:type="xs:string"><value xml:lang="en-US">~Chart...</value></prop>
</node>
</oor:data>"""


def _icon() -> Image.Image:
    """A 24 px full-colour toolbar icon: a blue letter-like bar and a red arrow."""
    img = Image.new("RGBA", (24, 24), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rectangle((3, 3, 8, 20), fill=(30, 90, 200, 255))
    draw.polygon([(12, 4), (21, 4), (16.5, 20)], fill=(200, 30, 30, 255))
    return img


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "libreoffice"
    (root / "share" / "config").mkdir(parents=True)
    (root / "share" / "registry").mkdir(parents=True)
    (root / "share" / "registry" / "calc.xcd").write_text(REGISTRY, encoding="utf-8")
    png = io.BytesIO()
    _icon().save(png, format="PNG")
    with zipfile.ZipFile(root / "share" / "config" / "images_colibre.zip", "w") as z:
        z.writestr("cmd/lc_sortascending.png", png.getvalue())
        z.writestr("cmd/lc_nolabel.png", png.getvalue())  # no label: not a known command
        z.writestr("res/lc_sortascending.png", png.getvalue())  # not a toolbar command icon
    monkeypatch.setattr(office, "_ROOTS", (root,))
    return root


def test_labels_are_read_and_cleaned(installed: Path) -> None:
    found = office.installation()
    assert found is not None
    theme, registry = found
    labels = office.command_labels(registry)
    assert labels["sortascending"] == ["Sort Ascending", "Sort Ascending & Keep"]
    assert labels["insertobjectchart"] == ["Chart"]
    assert list(office.icons(theme, labels)) == [("cmd/lc_sortascending.png", "sortascending")]
    assert office.icon_name(labels["sortascending"]) == "Sort Ascending (Sort Ascending & Keep)"


def test_no_libreoffice_adds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "_ROOTS", (tmp_path / "absent",))
    assert office.installation() is None


def test_a_toolbar_icon_on_a_screenshot_is_named_by_its_label(
    installed: Path, tmp_path: Path
) -> None:
    lib = icons.load_library(roots=(), fonts=(), cache=tmp_path / "cache", symbols=())
    assert lib is not None and lib.keys == ["lo:sortascending"]
    screen = Image.new("RGB", (200, 40), (246, 245, 244))  # a toolbar
    screen.paste(_icon(), (100, 8), _icon())
    button = Element(role="button", name="", box=Box.xywh(96, 4, 32, 32), source="detector")
    (named,) = icons.name_icons(np.asarray(screen), [button], lib)
    assert named.name.startswith("Sort Ascending")
    assert (
        icons.load_library(roots=(), fonts=(), cache=tmp_path / "c2", office=False, symbols=())
        is None
    )


def test_a_damaged_icon_theme_is_left_out_with_a_warning(
    installed: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (installed / "share" / "config" / "images_colibre.zip").write_bytes(b"not a zip")
    lib = icons.load_library(roots=(), fonts=(), cache=tmp_path / "cache", symbols=())
    assert lib is None  # nothing else installed in this test: no library, and no crash
    assert any("LibreOffice icons left out" in r.message for r in caplog.records)
