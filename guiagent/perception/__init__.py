"""Perception: pixels and accessibility trees -> a Screen of elements; phrases -> candidates.

``perceiver.Perceiver`` (observation -> Screen), ``ground.Grounder`` (phrase -> candidates),
``ocr.OcrEngine`` (incremental ONNX OCR), ``fuse.fuse``, ``som.render_som``. Submodules are
imported directly so that loading the package does not load the models or onnxruntime.
"""
