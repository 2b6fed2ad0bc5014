"""The project's own UI element detector: synthetic data, model, training, export, evaluation.

Training code needs the ``train`` extra (torch); the runtime lives in
``guiagent.perception.detector`` and needs only onnxruntime and numpy.
"""

#: detector classes, in the order of the model's heatmap channels
CLASSES = (
    "button",
    "icon_button",
    "text_field",
    "checkbox",
    "radio_button",
    "dropdown",
    "tab",
    "menu_item",
    "link",
    "slider",
)
