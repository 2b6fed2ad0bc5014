"""The icon classifier: names an icon drawn in a style no installed icon set uses.

The icon namer (``guiagent.perception.icons``) matches glyphs against the icons installed here;
a site's own drawing of a bin or a magnifier is a little off every one of them and stays
unnamed. This model is trained on the same concepts drawn by many icon sets (Tabler,
Bootstrap Icons, Remix Icon, Material Design Icons, Phosphor, Font Awesome, Lucide and the
Debian-installed sets), so it learns what a bin looks like across styles rather than one
set's bin. ``glyphs.py`` lists the sets and their concepts, ``train.py`` trains and exports.

Training needs the ``train`` extra (torch, onnx) and the fonts fetched once with npm (see
``glyphs.FONT_PACKAGES``); the runtime (``guiagent.perception.icons.classifier``) needs only
onnxruntime and numpy.
"""
