"""Manifests of the ONNX models guiagent runs: which file, from where, its sha256 (checked before
the model is loaded), its input, its licence and what it measured.

A model file that is missing or whose checksum differs fails with a clear error naming the file
and both digests, instead of loading silently and misreading the screen.
"""

from __future__ import annotations

import hashlib
import json
import threading
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from guiagent.errors import PerceptionError


class InputSpec(BaseModel):
    name: str
    shape: list[int | str] = Field(description="dims; strings name dynamic ones")
    dtype: str = "float32"
    layout: str = "NCHW"
    normalisation: str = ""


class ModelManifest(BaseModel):
    name: str
    file: str = Field(description="the file name inside the location below")
    location: str = Field(description="'package:NAME/sub/dir' (an installed wheel) or a path")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size_bytes: int
    task: str
    inputs: list[InputSpec]
    classes: list[str] = Field(default_factory=list)
    licence: str
    source: str = Field(description="where the model came from and which version")
    measured: dict[str, str] = Field(default_factory=dict, description="accuracy and latency")

    def path(self) -> Path:
        """The file's path on this machine (not yet verified)."""
        if self.location.startswith("package:"):
            package, _, sub = self.location.removeprefix("package:").partition("/")
            try:
                base = Path(str(resources.files(package)))
            except ModuleNotFoundError as exc:
                raise PerceptionError(
                    f"model {self.name}: package {package!r} is not installed",
                    hint=f"pip install {package} ({self.source})",
                ) from exc
            return base / sub / self.file
        return Path(self.location).expanduser() / self.file


_MANIFEST_DIR = Path(__file__).resolve().parent / "manifests"
_verified: dict[tuple[str, int, float], str] = {}
_lock = threading.Lock()


def load_manifest(name: str) -> ModelManifest:
    path = _MANIFEST_DIR / f"{name}.json"
    try:
        return ModelManifest.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        known = sorted(p.stem for p in _MANIFEST_DIR.glob("*.json"))
        raise PerceptionError(f"no model manifest {name!r}; known: {', '.join(known)}") from exc
    except (ValueError, ValidationError) as exc:
        raise PerceptionError(f"model manifest {path} is invalid: {exc}") from exc


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verified_path(manifest: ModelManifest, path: Path | None = None) -> Path:
    """The model file, after checking it exists and matches the manifest's sha256 (once per
    file version in a process: the check reads the whole file)."""
    path = path or manifest.path()
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise PerceptionError(
            f"model file {path} ({manifest.name}) is missing",
            hint=f"reinstall its source: {manifest.source}",
        ) from exc
    key = (str(path), stat.st_size, stat.st_mtime)
    with _lock:
        if _verified.get(key) == manifest.sha256:
            return path
    actual = sha256_of(path)
    if actual != manifest.sha256:
        raise PerceptionError(
            f"model file {path} ({manifest.name}) does not match its manifest: "
            f"sha256 {actual}, expected {manifest.sha256}",
            hint=f"the file is corrupt or from another version; reinstall {manifest.source}",
        )
    with _lock:
        _verified[key] = actual
    return path
