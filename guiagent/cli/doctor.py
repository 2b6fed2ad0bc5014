"""``guiagent doctor``: what this machine has and lacks for guiagent, with the fix for each."""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

APT = "sudo apt-get install -y"
INSTALLER = "bash installer/install-debian.sh"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def _binary(name: str, package: str, why: str, required: bool = True) -> Check:
    path = shutil.which(name)
    return Check(
        name, bool(path), path or f"not found ({why})", f"{APT} {package}", required=required
    )


def _module(name: str, fix: str, why: str, required: bool = True) -> Check:
    try:
        importlib.import_module(name)
        return Check(f"python: {name}", True, "importable", required=required)
    except Exception as exc:  # any import failure is a finding, not a crash
        return Check(f"python: {name}", False, f"{why}: {exc}", fix, required=required)


def _display() -> Check:
    display = os.environ.get("DISPLAY")
    if not display:
        return Check(
            "X display",
            False,
            "DISPLAY is not set",
            "use --virtual-display, or set DISPLAY to a running X server",
            required=False,
        )
    try:
        from Xlib import display as xdisplay

        xdisplay.Display(display).close()
        return Check("X display", True, f"{display} answers")
    except Exception as exc:
        return Check(
            "X display",
            False,
            f"{display}: {exc}",
            "start the X server or use --virtual-display",
            required=False,
        )


def _session_bus() -> Check:
    addr = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    ok = bool(addr)
    return Check(
        "session D-Bus (for AT-SPI)",
        ok,
        addr or "DBUS_SESSION_BUS_ADDRESS is not set",
        "run under a desktop session or `dbus-run-session --`; --virtual-display starts one",
        required=False,
    )


def _ocr_models() -> Check:
    if importlib.util.find_spec("rapidocr") is None:
        return Check("ONNX OCR models", False, "rapidocr is not installed", "pip install rapidocr")
    try:
        from guiagent.perception.ocr import OcrEngine

        OcrEngine().warm_up()
        return Check("ONNX OCR models", True, "rapidocr's bundled models load offline")
    except Exception as exc:
        return Check("ONNX OCR models", False, str(exc), "pip install --force-reinstall rapidocr")


def _cjk_fonts() -> Check:
    try:
        found = subprocess.run(
            ["fc-list", ":lang=ja"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    return Check(
        "CJK fonts",
        bool(found),
        "present" if found else "none (東京 shows as boxes)",
        f"{APT} fonts-noto-cjk",
        required=False,
    )


def run_checks() -> list[Check]:
    py_ok = sys.version_info >= (3, 11)
    return [
        Check("python >= 3.11", py_ok, sys.version.split()[0], "install Python 3.11 or newer"),
        _display(),
        _binary("Xvfb", "xvfb", "needed for --virtual-display", required=False),
        _binary("openbox", "openbox", "window manager for --virtual-display", required=False),
        _binary("xdg-open", "xdg-utils", "opening URLs", required=False),
        _module("mss", "pip install 'guiagent[linux]'", "screen capture"),
        _module("Xlib", "pip install 'guiagent[linux]'", "mouse and keyboard (XTest)"),
        _module(
            "pyatspi",
            f"{APT} python3-pyatspi at-spi2-core; use a venv with "
            f"--system-site-packages (see {INSTALLER})",
            "accessibility tree",
            required=False,
        ),
        _session_bus(),
        _binary("chromium", "chromium", "the browser driver", required=False),
        _module(
            "playwright", "pip install 'guiagent[browser]'", "the browser driver", required=False
        ),
        _module("onnxruntime", "pip install onnxruntime", "ONNX models"),
        _ocr_models(),
        _cjk_fonts(),
    ]
