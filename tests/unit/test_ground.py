"""Grounding on hand-built screens: text ranks, role words, ordinals, relations, failures."""

from __future__ import annotations

import numpy as np
import pytest

from guiagent.errors import TargetNotFound
from guiagent.observation import Box, Element, ElementSource, Observation, Screen
from guiagent.perception.fuse import fuse
from guiagent.perception.ground import Grounder
from guiagent.perception.query import MIDDLE, parse_query


def el(
    name: str,
    x: int,
    y: int,
    w: int = 60,
    h: int = 20,
    role: str = "text",
    source: ElementSource = "ocr",
    score: float = 0.99,
    value: str | None = None,
) -> Element:
    return Element(
        role=role, name=name, box=Box.xywh(x, y, w, h), source=source, score=score, value=value
    )


def screen(*elements: Element, a11y: list[Element] | None = None) -> Screen:
    return Screen(elements=fuse(a11y, list(elements), 1280, 800), width=1280, height=800)


G = Grounder()


def names(cands: list) -> list[str]:
    return [c.element.name for c in cands]


# -- text ------------------------------------------------------------------------------
def test_exact_beats_case_beats_fuzzy() -> None:
    s = screen(el("Save", 10, 10), el("save", 100, 10), el("Saved", 200, 10), el("Sve", 300, 10))
    found = G.locate(s, "Save")
    assert names(found)[:2] == ["Save", "save"]
    assert found[0].score == pytest.approx(1.0, abs=0.01) and found[0].reason == "exact text"
    assert found[1].reason == "case-insensitive"
    assert all(a.score >= b.score for a, b in zip(found, found[1:], strict=False))


def test_an_icon_answers_to_each_of_its_names_and_read_text_comes_first() -> None:
    """Icons named from their shape go by a name and alternatives: "visibility" is the icon
    of that name, not the one whose name merely holds the word; read text outranks both."""
    eye = el("visibility (reveal, show, eye)", 10, 10, 24, 24, role="icon", source="detector")
    eye_off = el("visibility off (hide, conceal)", 60, 10, 24, 24, "icon", "detector")
    cart = el("shopping cart (cart, basket, bag)", 110, 10, 24, 24, "icon", "detector")
    s = screen(eye, eye_off, cart)
    assert G.best(s, "the visibility icon").element.box.left == 10
    assert G.best(s, "the eye icon").element.box.left == 10
    assert G.best(s, "the basket button").element.box.left == 110
    home = el("home (house)", 10, 60, 24, 24, role="icon", source="detector")
    s = screen(home, el("Home", 200, 60))
    assert G.best(s, "the Home button").element.box.left == 200
    assert G.best(s, "the house icon").element.box.left == 10


def test_an_icon_labelled_by_what_it_does_to_what() -> None:
    """ "Search settings", "Delete message": the icon's name, then the thing it acts on.
    Read text is not stretched that way; a label whose words were all said among others is
    a weaker match."""
    search = el("search (find, magnifier)", 10, 10, 24, 24, role="icon", source="detector")
    trash = el("trash (delete, bin)", 60, 10, 24, 24, role="icon", source="detector")
    s = screen(search, trash, el("Print", 200, 10))
    assert G.best(s, "click the Search settings icon").element.box.left == 10
    assert G.best(s, "the Delete message button").element.box.left == 60
    found = G.best(s, "Print invoice now please")
    assert found.element.name == "Print" and found.reason == "its words said in the phrase"
    assert found.score < 0.75
    with pytest.raises(TargetNotFound):
        G.best(s, "Print Preview")  # a word the label does not hold


def test_a_label_cut_short_with_an_ellipsis_answers_to_its_whole_text() -> None:
    s = screen(el("Quarterly report for the nor…", 10, 10, 200), el("Quarterly", 10, 60))
    found = G.best(s, "Quarterly report for the northern region")
    assert found.element.box.top == 10 and "cut short" in found.reason
    assert G.best(screen(el("Monthly rep…", 10, 10)), "Monthly report").element.box.top == 10
    with pytest.raises(TargetNotFound):  # the words before the dots must agree
        G.best(screen(el("Weekly digest for…", 10, 10)), "Weekly report for the team")


def test_how_a_control_looks_is_said_before_it_and_a_name_keeps_its_words() -> None:
    pencil = el("pencil (edit)", 10, 10, 24, 24, role="icon", source="detector")
    plus = el("plus (add)", 60, 10, 24, 24, role="icon", source="detector")
    s = screen(pencil, plus, el("Dark mode", 200, 10))
    assert G.best(s, "the little pencil").element.box.left == 10
    assert G.best(s, "the blue plus button").element.box.left == 60
    assert G.best(s, "Dark mode").element.box.left == 200
    assert parse_query("Dark mode").variants == ()  # as written, a name


def test_a_colour_said_picks_among_equal_matches() -> None:
    """ "The blue plus button" with a grey and a blue plus button on screen: the blue one."""
    image = np.full((100, 300, 3), 255, np.uint8)
    image[10:40, 10:40] = (120, 120, 120)  # a grey round-ish button
    image[10:40, 110:140] = (26, 115, 232)  # a blue one
    grey = el("plus (add)", 10, 10, 30, 30, role="icon", source="detector")
    blue = el("plus (add)", 110, 10, 30, 30, role="icon", source="detector")
    obs = Observation(image=image, platform="image")
    s = Screen(elements=fuse([grey, blue], [], 300, 100), width=300, height=100, observation=obs)
    found = G.best(s, "the blue plus button")
    assert found.element.box.left == 110 and "drawn in blue" in found.reason
    assert G.best(s, "the grey plus button").element.box.left == 10
    assert G.best(s, "the red plus button").element.box.left == 10  # no red one: as before


def test_quotes_are_stripped() -> None:
    s = screen(el("Log in", 10, 10))
    assert G.best(s, "'Log in'").element.name == "Log in"
    assert G.best(s, '"Log in"').element.name == "Log in"


def test_short_targets_match_exactly_only() -> None:
    s = screen(el("17", 10, 10), el("t", 100, 10), el("7", 200, 10), el("M+", 300, 10))
    assert names(G.locate(s, "7")) == ["7"]
    s2 = screen(el("17", 10, 10), el("27", 100, 10), el("M+", 200, 10), el("+/-", 300, 10))
    assert G.locate(s2, "7") == []
    assert G.locate(s2, "+") == []


def test_ocr_spacing_and_misreads_are_tolerated() -> None:
    s = screen(el("Login", 10, 10), el("Calculater", 10, 100, w=90))
    assert G.best(s, "Log in").element.name == "Login"
    cand = G.best(s, "Calculator")
    assert cand.element.name == "Calculater" and cand.reason.startswith("fuzzy")
    assert 0.6 <= cand.score < 0.95


def test_a_word_glued_to_its_neighbour_by_ocr_is_found_weakly() -> None:
    s = screen(el("Egestas ultricesnam scelerisque", 0, 80, w=150))
    best = G.best(s, "nam")
    assert best.score < 0.7 and "glued" in best.reason
    assert best.element.box.right <= 150 and best.element.box.left > 60  # the word's part
    # the rest must itself be a word: "Save" is not found in "Saved"
    assert G.locate(screen(el("Saved", 10, 10)), "Save")[0].reason == "prefix"
    assert not [c for c in G.locate(screen(el("Saved", 10, 10)), "Save") if "glued" in c.reason]


def test_a_menu_button_s_arrow_read_as_a_letter() -> None:
    s = screen(el("MSV", 143, 168, w=47), el("MRV", 208, 168, w=47), el("M+√", 273, 168, w=46))
    assert G.best(s, "MS").element.name == "MSV"
    assert G.best(s, "M+").element.name == "M+√"
    assert G.best(screen(el("MS", 10, 10), el("MSV", 100, 10)), "MS").element.name == "MS"
    assert not G.locate(screen(el("Save", 10, 10)), "Sa")


def test_a_drawn_cross_answers_to_x() -> None:
    s = screen(el("Commodo vitae", 10, 60, w=90), el("×", 108, 59, w=22))
    assert G.best(s, 'the button labeled "x"').element.name == "×"


def test_a_name_wrapped_over_two_lines_is_found_whole() -> None:
    s = screen(el("Joana >", 5, 55, w=52), el("Anne-", 6, 73, w=35), el("Corinne", 6, 83, w=45))
    best = G.best(s, "Anne-Corinne")
    assert best.element.name == "Anne-Corinne"
    assert (best.element.box.top, best.element.box.bottom) == (73, 103)
    # lines side by side are not one name
    assert not G.locate(screen(el("Anne-", 6, 73), el("Corinne", 80, 73)), "Anne-Corinne")


def test_link_words_do_not_sink_text_when_no_link_is_known() -> None:
    misread = el("Arcu pulvinar massa, choncus", 0, 47, w=140)
    field = el("", 0, 200, w=100, role="text_field", source="detector")
    assert G.best(screen(misread, field), 'the link "rhoncus"').score >= 0.6


def test_clickable_text_answers_to_link() -> None:
    prose = el("Cursus justo. Facilisis", 10, 10, w=160, source="a11y")
    run = Element(
        role="text", name="justo.", box=Box.xywh(60, 40, 40, 18), source="a11y",
        states=frozenset({"clickable"}),
    )  # fmt: skip
    best = G.best(screen(a11y=[prose, run]), 'the link "justo."')
    assert best.element.name == "justo." and "clickable" in best.reason


def test_word_inside_ocr_line_gets_its_own_box() -> None:
    line = el("File Edit Save", 100, 10, w=140, h=20)
    s = screen(line)
    cand = G.best(s, "Save")
    assert cand.element.name == "Save" and cand.element.id == -1
    box = cand.element.box
    assert box.left > 100 + 140 // 2 and box.right <= 240
    assert "word in text" in cand.reason


def test_value_matches_too() -> None:
    s = screen(a11y=[el("", 10, 10, w=200, role="text_field", source="a11y", value="hello")])
    assert G.best(s, "hello").element.role == "text_field"


# -- roles -----------------------------------------------------------------------------
def test_role_word_prefers_that_role() -> None:
    a11y = [
        el("OK", 10, 10, role="button", source="a11y"),
        el("OK", 10, 100, role="link", source="a11y"),
    ]
    s = screen(a11y=a11y)
    assert G.best(s, "the OK link").element.role == "link"
    assert G.best(s, "the OK button").element.role == "button"
    assert G.best(s, "button OK").element.role == "button"


def test_ocr_text_satisfies_role_without_role_info() -> None:
    s = screen(el("Subscribe", 10, 10), el("Cancel", 100, 10))
    cand = G.best(s, "the Subscribe checkbox")
    assert cand.element.name == "Subscribe" and "no role info" in cand.reason


def test_ocr_text_inside_a11y_button_gives_the_button() -> None:
    button = el("", 10, 10, w=80, h=30, role="button", source="a11y")
    s = screen(el("Apply", 25, 15, w=40, h=18), a11y=[button])
    cand = G.best(s, "the Apply button")
    assert cand.element.role == "button" and cand.element.source == "a11y"


def test_menu_and_tab_words() -> None:
    a11y = [
        el("File", 0, 0, role="menu_item", source="a11y"),
        el("Settings", 100, 0, role="page_tab", source="a11y"),
    ]
    s = screen(el("File", 0, 200), el("Settings", 100, 200), a11y=a11y)
    assert G.best(s, "menu File").element.role == "menu_item"
    assert G.best(s, "tab Settings").element.role == "page_tab"


# -- ordinals --------------------------------------------------------------------------
def test_ordinals_follow_reading_order() -> None:
    s = screen(el("Delete", 300, 100), el("Delete", 300, 10), el("Delete", 300, 200))
    tops = {"first": 10, "the second": 100, "3rd": 200, "last": 200}
    for word, top in tops.items():
        cand = G.best(s, f"{word} Delete")
        assert cand.element.box.top == top, word
    assert "2nd match" in G.best(s, "the second Delete").reason


def test_ordinal_of_a_role() -> None:
    a11y = [el(f"B{i}", 10 + 100 * i, 10, role="button", source="a11y") for i in range(4)]
    s = screen(el("Title", 10, 300), a11y=a11y)
    assert G.best(s, "the 3rd button").element.name == "B2"
    assert G.best(s, "the last button").element.name == "B3"


def test_ordinal_out_of_range_is_not_found() -> None:
    s = screen(el("Delete", 10, 10), el("Delete", 10, 100))
    with pytest.raises(TargetNotFound):
        G.best(s, "the fifth Delete")


# -- relations -------------------------------------------------------------------------
def test_field_next_to_label_with_a11y() -> None:
    name_field = el("", 120, 10, w=200, h=24, role="text_field", source="a11y")
    email_field = el("", 120, 60, w=200, h=24, role="text_field", source="a11y")
    s = screen(el("Name", 10, 12, w=50), el("Email", 10, 62, w=50), a11y=[name_field, email_field])
    for q in ("the field next to Name", "the field right of 'Name'", "the Name field"):
        assert G.best(s, q).element.box.top == 10, q
    cand = G.best(s, "the field next to Email")
    assert cand.element.box.top == 60 and "Email" in cand.reason


def test_a_field_named_by_its_hint_text_with_no_field_beside_it() -> None:
    """A search box drawn without a frame shows only its hint text: with the only detected
    field far away, "type in Search flags" is those words, not that field; a field beside
    the words is still the one they label."""
    hint = el("Search flags", 300, 15, 110, 24)
    far = el("", 900, 12, 80, 34, role="text_field", source="detector", score=0.8)
    found = G.best(screen(hint, a11y=[far]), "type in Search flags")
    assert found.element.box.left == 300 and "hint text" in found.reason
    near = el("", 420, 12, 200, 30, role="text_field", source="detector", score=0.8)
    assert G.best(screen(hint, a11y=[far, near]), "the Search flags field").element.box.left == 420
    field = G.best(screen(hint, a11y=[far]), "the field next to Search flags")
    assert field.element.box.left == 900


def test_a_drop_down_by_its_label_or_by_the_value_it_shows() -> None:
    """From pixels a closed drop-down looks like a field: "the Country drop-down" is the
    field just right of the label Country; "the Text Files drop-down" is the drop-down
    showing Text Files, not a field below those words."""
    label = el("Country", 10, 10, 70, 20)
    field = el("", 90, 6, 160, 28, role="text_field", source="detector", score=0.8)
    assert G.best(screen(label, a11y=[field]), "the Country drop-down").element.box.left == 90
    value = el("Text Files", 10, 100, 80, 20)
    below = el("", 120, 150, 200, 28, role="text_field", source="detector", score=0.8)
    found = G.best(screen(value, a11y=[below]), "the Text Files drop-down")
    assert found.element.box.top == 100


def test_field_below_and_above() -> None:
    upper = el("", 10, 40, w=200, h=24, role="text_field", source="a11y")
    lower = el("", 10, 140, w=200, h=24, role="text_field", source="a11y")
    s = screen(el("Email", 10, 110, w=50), a11y=[upper, lower])
    assert G.best(s, "the field below Email").element.box.top == 140
    assert G.best(s, "the field under Email").element.box.top == 140
    assert G.best(s, "the field above Email").element.box.top == 40


def test_field_without_a11y_is_inferred_right_of_label() -> None:
    s = screen(el("Name:", 10, 10, w=50), el("Age:", 400, 10, w=40))
    cand = G.best(s, "the field next to Name")
    assert cand.element.role == "text_field" and cand.element.id == -1
    assert cand.element.box.left >= 60 and cand.element.box.right <= 400
    assert cand.score < 0.9 and "assumed" in cand.reason
    assert G.best(s, "the Name field").element.box.left >= 60


def test_inferred_field_snaps_to_the_drawn_field() -> None:
    image = np.full((300, 800, 3), 235, np.uint8)
    image[95:125, 300:560] = 255  # a white entry far right of its label ...
    image[95, 300:560] = image[124, 300:560] = 120  # ... with a grey border
    image[95:125, 300] = image[95:125, 559] = 120
    obs = Observation(image=image, platform="image")
    elements = fuse(None, [el("Name:", 10, 100, w=50, h=20)], 800, 300)
    s = Screen(elements=elements, width=800, height=300, observation=obs)
    cand = G.best(s, "the field next to Name")
    assert 300 < cand.point.x < 560 and 95 < cand.point.y < 125, cand.describe()
    blank = Screen(elements=elements, width=800, height=300)  # no pixels: a guess beside it
    assert 60 < G.best(blank, "the field next to Name").point.x < 300


def test_button_near_and_checkbox_next_to() -> None:
    a11y = [
        el("Cancel", 300, 300, w=80, h=30, role="button", source="a11y"),
        el("OK", 390, 300, w=80, h=30, role="button", source="a11y"),
        el("Help", 10, 10, w=80, h=30, role="button", source="a11y"),
        el("", 10, 200, w=16, h=16, role="checkbox", source="a11y"),
        el("", 10, 250, w=16, h=16, role="checkbox", source="a11y"),
    ]
    s = screen(el("Remember me", 32, 198, w=100), el("Subscribe", 32, 248, w=90), a11y=a11y)
    assert G.best(s, "the button near Cancel").element.name == "OK"
    assert G.best(s, "the checkbox next to Subscribe").element.box.top == 250
    assert G.best(s, "the checkbox next to Remember me").element.box.top == 200


def test_checkbox_inferred_left_of_label_without_a11y() -> None:
    s = screen(el("Remember me", 40, 100, w=100, h=18))
    cand = G.best(s, "the checkbox next to Remember me")
    assert cand.element.role == "checkbox" and cand.element.box.right <= 40


# -- failures --------------------------------------------------------------------------
def test_empty_screen() -> None:
    s = Screen(elements=[], width=100, height=100)
    assert G.locate(s, "Save") == []
    assert G.locate(s, "the field next to Name") == []
    assert G.locate(s, "") == []
    with pytest.raises(TargetNotFound) as info:
        G.best(s, "Save")
    assert info.value.candidates == []


def test_not_found_lists_three_closest_with_scores() -> None:
    s = screen(el("Open", 10, 10), el("Sane", 100, 10), el("Safe", 200, 10), el("Quit", 300, 10))
    with pytest.raises(TargetNotFound) as info:
        G.best(s, "Save", min_score=0.9)
    err = info.value
    assert len(err.candidates) == 3
    assert all(0 <= c.score <= 1 for c in err.candidates)
    assert "score=" in str(err) and "Save" in str(err)


def test_scores_are_bounded_and_reasons_present() -> None:
    s = screen(el("Save", 10, 10), el("Save As…", 10, 100, w=90))
    for cand in G.locate(s, "save"):
        assert 0 <= cand.score <= 1 and cand.reason


# -- find_text -------------------------------------------------------------------------
def test_find_text_is_strict() -> None:
    s = screen(el("hello world", 10, 10, w=120), el("17", 10, 100), el("Total: 42", 10, 200))
    assert [e.name for e in G.find_text(s, "hello world")] == ["hello world"]
    assert G.find_text(s, "hello")  # part of a line
    assert G.find_text(s, "helo world") == []  # short text: no misreads
    assert G.find_text(s, "7") == []
    assert G.find_text(s, "42")
    assert G.find_text(s, "") == []


def test_find_text_tolerates_a_misread_in_long_text() -> None:
    s = screen(el("The quick brown fox jumps", 10, 10, w=300))
    assert G.find_text(s, "The quick brovn fox")


# -- parsing ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "text", "role", "ordinal", "relation"),
    [
        ("Save", "Save", None, None, None),
        ("the Save button", "Save", "button", None, None),
        ("the Name field", "Name", "text_field", None, None),
        ("Subscribe checkbox", "Subscribe", "checkbox", None, None),
        ("menu File", "File", "menu_item", None, None),
        ("the tab Buttons", "Buttons", "tab", None, None),  # a kind, then a name as written
        ("the menu button", "menu", "button", None, None),
        ("the second Delete", "Delete", None, 2, None),
        ("the 3rd button", "", "button", 3, None),
        ("last Delete", "Delete", None, -1, None),
        ("the field right of 'Email'", "", "text_field", None, "right_of"),
        ("the field under Email", "", "text_field", None, "below"),
        ("the button near Cancel", "", "button", None, "near"),
        ("'Paste below'", "Paste below", None, None, None),
        ("Paste below", "Paste below", None, None, None),
        ("the X button of the dialog", "X", "button", None, None),  # the container is context
        ("the close icon in the toolbar", "close", "icon", None, None),
        ("'Close of the dialog'", "Close of the dialog", None, None, None),
        ("the folder Dolores", "Dolores", "list_item", None, None),
        ("the Cierra file", "Cierra", "list_item", None, None),
        ("File", "File", None, None, None),  # alone it is a name (the File menu)
        ("the File menu", "File", "menu_item", None, None),
        # how people ask: a verb, a place, a part of the page, a purpose, "for"
        ("open the View menu", "View", "menu_item", None, None),
        ("go to Starred", "Starred", None, None, None),
        ("switch to grid view", "grid view", None, None, None),
        ("the Downloads section", "Downloads", None, None, None),
        ("text area", "", "text_area", None, None),  # "area" is part of the role here
        ("type in Search flags", "Search flags", "text_field", None, None),
        ("tick Remember me", "Remember me", "checkbox", None, None),
        ("the check box next to Name", "", "checkbox", None, "near"),
        ("the button to save", "save", "button", None, None),
        ("the button to create a new folder", "create new folder", "button", None, None),
        ("the pencil icon to rename the file", "pencil", "icon", None, None),
        ("the up arrow to go to the parent folder", "up", "icon", None, None),
        ("the field for Tags", "", "text_field", None, "near"),
        ("the minus button for Oat milk", "minus", "button", None, "near"),
        ("Search for files", "Search for", "list_item", None, None),  # "for" needs a role
        ("Arrow", "Arrow", None, None, None),
        ("Back to top", "Back to top", None, None, None),
        ("the X at the top right", "X", None, None, None),
        ("the section", "section", None, None, None),  # nothing else to name: the word is it
        ("the top right", "top right", None, None, None),
        ("switch on Wi-Fi", "Wi-Fi", "checkbox", None, None),
        ("turn Bluetooth off", "Bluetooth", "checkbox", None, None),
        ("toggle Dark mode", "Dark mode", "checkbox", None, None),
    ],
)
def test_parse_query(
    raw: str, text: str, role: str | None, ordinal: int | None, relation: str | None
) -> None:
    q = parse_query(raw)
    assert (q.text, q.role, q.ordinal, q.relation) == (text, role, ordinal, relation)


@pytest.mark.parametrize(
    ("raw", "place", "variants", "spoken"),
    [
        ("the X at the top right", "top right", (), ""),
        ("the copy icon at the bottom", "bottom", (), ""),
        ("click Sheet in the menu bar", "top", (), "click Sheet in the menu bar"),
        ("Save in the status bar", "bottom", (), ""),
        ("Open Recent", None, (), "Open Recent"),
        ("the pencil icon to rename the file", None, ("rename file",), ""),
        ("the house icon on the far left", "left", (), ""),
        ("the top-left check box", "top left", (), ""),
        ("the bin in the ticket toolbar", None, (), ""),  # a named bar need not be on top
        ("press OK to log in", None, ("log in",), "press OK to log in"),
    ],
)
def test_parse_query_places_and_variants(
    raw: str, place: str | None, variants: tuple[str, ...], spoken: str
) -> None:
    q = parse_query(raw)
    assert (q.place, q.variants, q.spoken) == (place, variants, spoken)


def test_a_name_that_starts_with_a_verb_is_still_found_whole() -> None:
    s = screen(el("Recent", 10, 10), el("Open Recent", 10, 40, w=120))
    assert G.best(s, "Open Recent").element.name == "Open Recent"
    assert G.best(s, "open Recent").element.name == "Open Recent"
    button = el("Check for updates", 10, 80, w=150, role="push_button", source="a11y")
    assert G.best(screen(a11y=[button]), "Check for updates").element.name == button.name
    assert G.best(screen(el("Recent", 10, 10)), "open Recent").element.name == "Recent"


def test_the_place_named_picks_among_equal_matches() -> None:
    s = screen(
        el("Sheet", 300, 4), el("Sheet", 20, 770), el("x", 1250, 4, w=16), el("x", 600, 400, w=16)
    )
    assert G.best(s, "click Sheet in the menu bar").element.box.top == 4
    assert G.best(s, "Sheet at the bottom").element.box.top == 770
    assert G.best(s, "the x at the top right").element.box.left == 1250


def test_a_button_named_by_what_it_does() -> None:
    icons = [
        el("new folder (folder new, create folder)", 10, 10, 24, 24, "icon", "detector"),
        el("delete (trash, bin, trash can)", 50, 10, 24, 24, "icon", "detector"),
    ]
    s = screen(el("Files", 200, 10), a11y=icons)
    assert G.best(s, "the button to create a new folder").element.box.left == 10
    assert G.best(s, "the trash can icon").element.box.left == 50


def test_a_field_for_a_label_is_the_field_beside_it() -> None:
    label = el("Tags", 10, 100, w=40)
    field = Element(role="text_field", name="", box=Box.xywh(60, 96, 200, 28), source="detector")
    s = screen(label, a11y=[field])
    assert G.best(s, "the field for Tags").element.box == field.box
    assert G.best(s, "type in Tags").element.box == field.box


def test_text_inside_a_one_line_field_is_no_text_area() -> None:
    line = el("", 2, 80, w=128, h=21, role="text_field", source="detector")
    area = Element(
        role="text_field", name="", box=Box.xywh(2, 106, 126, 26), source="detector",
        states=frozenset({"multi_line"}),
    )  # fmt: skip
    s = screen(el("gHF2p", 1, 80, w=51, h=24), el("b", 0, 108, w=18, h=20), a11y=[line, area])
    assert G.best(s, "text area").element.box == area.box


def test_a_role_word_that_is_part_of_the_name_still_finds_it() -> None:
    icon = el("add (plus, add item, add row)", 248, 234, w=40, h=43, role="icon", source="detector")
    s = screen(el("Enabled", 500, 163), a11y=[icon])
    assert G.best(s, "Add item").element.role == "icon"  # "item" is no list item here
    assert not G.locate(screen(el("Save", 10, 10)), "Save button")[0].reason.endswith("phrase")


# -- a target inside one of several alike parts -------------------------------------------
def _table() -> Screen:
    """Three rows, each a name on the left and a trash icon far right; a header above."""
    rows = []
    for i, who in enumerate(("Maria", "Tom", "Sam")):
        y = 100 + 48 * i
        rows += [
            el(who, 40, y, 60, 18),
            el("delete (trash, bin)", 1100, y - 3, 24, 24, "icon", "detector"),
        ]
    return screen(el("Name", 40, 60, 60, 18), *rows)


@pytest.mark.parametrize(
    ("phrase", "top"),
    [
        ("the trash icon in Maria's row", 97),
        ("the delete button on the row for Tom", 145),
        ("the bin in the Sam row", 193),
        ("the trash can in the second row", 145),
        ("the trash in the bottom row", 193),
        ("the delete icon in the middle row", 145),
    ],
)
def test_a_target_in_a_named_or_counted_row(phrase: str, top: int) -> None:
    found = G.best(_table(), phrase)
    assert found.element.box.top == top and found.element.box.left == 1100


def test_a_target_in_a_post_or_message_starts_at_its_author() -> None:
    """A post runs down from its author: the heart below Tom's name, not the one above it
    (the end of the post before) nor the next post's."""
    posts = []
    for i, who in enumerate(("Ana", "Tom", "Lee")):
        y = 50 + 250 * i
        posts += [
            el(who, 80, y, 40, 18),
            el("heart (love, like)", 80, y + 200, 22, 22, "icon", "detector"),
        ]
    s = screen(*posts)
    assert G.best(s, "the heart on Tom's post").element.box.top == 500
    assert G.best(s, "like the post from Lee").element.box.top == 750
    assert G.best(s, "the heart on the first post").element.box.top == 250


def test_a_name_that_reads_like_a_part_is_still_a_name() -> None:
    s = screen(
        el("Today's weather", 40, 40, 140, 18),
        el("weather (cloud)", 300, 40, 24, 24, "icon", "detector"),
    )
    assert G.best(s, "Today's weather").element.name == "Today's weather"
    assert parse_query("type in the message box").scope is None
    assert parse_query("the trash icon on this row").text == "trash"


def test_a_name_with_for_in_it_or_a_control_for_a_thing() -> None:
    """ "Odd for the 9": no element is named so; Odd beside the 9 is meant. "Search for
    files" as written stays a name."""
    s = screen(
        el("9", 100, 100, 20, 20), el("Odd", 40, 130, 40, 20), el("Even", 100, 130, 40, 20),
        el("4", 100, 300, 20, 20), el("Odd", 40, 330, 40, 20), el("Even", 100, 330, 40, 20),
        el("Search for files", 500, 100, 120, 20), el("files", 500, 300, 40, 20),
    )  # fmt: skip
    assert G.best(s, "Odd for the 4").element.box.top == 330
    assert G.best(s, "Odd for the 9").element.box.top == 130
    assert G.best(s, "Search for files").element.name == "Search for files"


@pytest.mark.parametrize(
    ("raw", "text", "scope", "position", "anchor"),
    [
        ("the three dots on Tom's message", "three dots", "block", None, "Tom"),
        ("the edit button in Maria's row", "edit", "row", None, "Maria"),
        ("the Even button in the middle row", "Even", "row", MIDDLE, None),
        ("the Reply link under Sam's comment", "Reply", "block", None, "Sam"),
        ("the heart on the second post", "heart", "block", 2, None),
        ("the star in the 3rd row", "star", "row", 3, None),
        ("the plus in the Done list", "plus", "column", None, "Done"),
        ("the sign in button on Maria's row", "sign in", "row", None, "Maria"),
        ("the heart on the post by Tom", "heart", "block", None, "Tom"),
        ("like Tom's post", "like", "block", None, "Tom"),
        ("reply to Sam's comment", "reply", "block", None, "Sam"),
        ("delete the row for Invoice 42", "delete", "row", None, "Invoice 42"),
        ("open Tom's message", "Tom", None, None, None),  # the part itself
        ("type in the message box", "message", None, None, None),
        ("the trash icon on this row", "trash", None, None, None),
        ("Sign in with Google", "Sign in with Google", None, None, None),
        ("close the api.py tab", "close", "block", None, "api.py"),
        ("hide the CupFinal trend", "hide", "row", None, "CupFinal"),
        ("queue episode 41", "queue", "row", None, "41"),
        ("the down arrow on episode 41", "down", "row", None, "41"),  # named by its number
        ("the bin on row 3", "bin", "row", 3, None),  # counted
        ("the bookmark outline on the card", "bookmark outline", None, None, None),
        ("create a new ticket", "create a new ticket", None, None, None),  # no name in it
        ("open the Files tab", "Files", None, None, None),  # the part itself
        ("reply to Nadia", "reply", "block", None, "Nadia"),
        ("go to Settings", "Settings", None, None, None),  # a place to go, no person
    ],
)
def test_parse_query_parts(
    raw: str, text: str, scope: str | None, position: int | None, anchor: str | None
) -> None:
    q = parse_query(raw)
    said = q.anchor.text if q.anchor is not None else None
    assert (q.text, q.scope, q.position, said) == (text, scope, position, anchor)


def test_a_part_that_is_not_on_the_screen_still_gives_the_alike_controls() -> None:
    found = G.locate(_table(), "the trash icon in Zoe's row")
    assert found and all(c.element.box.left == 1100 for c in found)
    assert "nothing like 'Zoe' seen" in found[0].reason and found[0].score < 0.7


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("find coffee nearby", "Coffee"),
        ("submit the reply", "Submit"),
        ("read the reviews", "Reviews (214)"),
        ("create a new ticket", "+ New ticket"),
        ("send the directions to my phone", "Send to phone"),
        ("search for flights", "Search"),
    ],
)
def test_a_label_said_among_other_words(phrase: str, name: str) -> None:
    """People ask by what they want done; the label holds some of their words and no other."""
    s = screen(
        el("Coffee", 10, 10), el("Submit", 100, 10), el("Public reply", 200, 10, 100),
        el("Reviews (214)", 320, 10, 100), el("+ New ticket", 440, 10, 100),
        el("Send to phone", 10, 60, 120), el("Search", 200, 60), el("Flights", 300, 60),
    )  # fmt: skip
    found = G.best(s, phrase)
    assert found.element.name == name and found.score < 0.9


def test_an_icon_that_does_it_beats_a_label_of_the_thing_it_acts_on() -> None:
    refresh = el("refresh (reload)", 300, 10, 24, 24, role="icon", source="detector")
    s = screen(el("Views", 10, 10), refresh)
    assert G.best(s, "refresh the views").element.box.left == 300


def test_a_control_said_only_by_its_look() -> None:
    q = parse_query("the purple round button in the bottom corner")
    assert (q.text, q.role, q.colour, q.place) == ("", "button", "purple", "bottom")


def test_a_site_may_label_one_action_in_other_words() -> None:
    s = screen(el("Sign in", 10, 10), el("Sign up", 100, 10))
    assert G.best(s, "log in").element.name == "Sign in"
    assert G.best(s, "register").element.name == "Sign up"


def test_a_check_mark_in_another_row_is_another_items() -> None:
    """A menu with one item ticked: "untick Show Status Bar" is not the tick of the row
    below; with none in its own row, the mark is assumed beside its label."""
    tick = el("", 82, 107, 16, 16, role="checkbox", source="detector")
    s = screen(
        el("Show Status Bar", 110, 80, 150, 20), el("Show Thumbnail Bar", 110, 105, 170), tick
    )
    found = G.best(s, "untick Show Status Bar")
    assert found.element.box.top < 100  # the label's own row


def test_a_switch_on_a_tile_sits_above_its_name_at_the_right() -> None:
    def switch(x: int) -> Element:
        return Element(
            role="checkbox", name="", box=Box.xywh(x, 40, 56, 32), source="detector",
            score=0.8, states=frozenset({"switch"}),
        )  # fmt: skip

    s = screen(
        el("Ceiling light", 30, 110, 140), el("Floor lamp", 340, 110, 128),
        a11y=[switch(250), switch(560)],
    )  # fmt: skip
    assert G.best(s, "turn off the ceiling light").element.box.left == 250
    assert G.best(s, "the switch on the Floor lamp tile").element.box.left == 560


def test_what_is_typed_is_not_the_field() -> None:
    q = parse_query("type the language in the box next to Language:")
    assert (q.text, q.role, q.relation, q.anchor and q.anchor.text) == (
        "", "text_field", "near", "Language:",
    )  # fmt: skip


def test_counted_within_a_counted_row() -> None:
    boxes = [
        Element(role="checkbox", name="", box=Box.xywh(30 + 34 * c, 118 + 32 * r, 26, 26),
                source="detector", score=0.8)
        for r in range(4) for c in range(4)
    ]  # fmt: skip
    s = screen(el("Submit", 30, 260, 80), a11y=boxes)
    box = G.best(s, "tick the third box of the bottom row").element.box
    assert (box.left, box.top) == (30 + 68, 118 + 96)
    box = G.best(s, "tick the last box in the second row").element.box
    assert (box.left, box.top) == (30 + 102, 118 + 32)


def test_a_tie_is_settled_by_the_other_words_said() -> None:
    """An eye on each card: "hide the savings balance" is the one on the card whose title
    (left of it) says savings, though the other card's eye is nearer that title."""

    def eye(x: int) -> Element:
        return el("visibility (show, hide, eye)", x, 92, 26, 22, "icon", "detector")

    s = screen(
        el("Everyday account", 253, 90, 104),
        eye(499),
        el("Rainy-day savings", 594, 88, 107),
        eye(840),
    )
    assert G.best(s, "hide the savings balance").element.box.left == 840
    assert G.best(s, "hide the everyday balance").element.box.left == 499


def test_a_tie_of_alike_icons_and_the_name_acted_on_is_settled_by_the_name() -> None:
    """ "suspend Lena Fischer": a ban icon on every row (recognised under two names), and
    the row's name itself scores about as well; the name is context, the icon the answer."""

    def ban(y: int, name: str = "ban (block, suspend)") -> Element:
        return el(name, 1202, y, 20, 20, "icon", "detector")

    s = screen(
        el("Omar Haddad", 300, 270, 90), ban(272),
        el("Lena Fischer", 300, 344, 91), ban(346, "block (ban, suspend)"),
        el("Priya Raman", 300, 418, 90), ban(420),
    )  # fmt: skip
    found = G.best(s, "suspend Lena Fischer")
    assert (found.element.role, found.element.box.top) == ("icon", 346)


def test_a_kind_of_control_the_screen_lacks_is_read_as_a_label() -> None:
    """ "go back to the menu" reads as a menu item; with no menu on the screen, the words
    are a link's ("← Back to menu"), not any text at all."""
    s = screen(el("Forkful", 26, 16, 91), el("←Back to menu", 29, 81, 122), el("Basket", 58, 166))
    found = G.best(s, "go back to the menu")
    assert found.element.name == "←Back to menu"
    menu = el("Menu", 10, 300, 50, 20, role="menu_item", source="a11y")
    found = G.best(screen(el("Forkful", 26, 16, 91), a11y=[menu]), "open the menu")
    assert found.element.role == "menu_item"  # where there is one, it is meant


def test_a_counted_kind_the_screen_lacks_counts_the_labels_saying_it() -> None:
    """ "go to the second tab" where the tabs were read as text ("Tab #1", "Tab #2", ...):
    the second of the labels saying "tab", not the second text on the screen."""
    s = screen(
        el("Click on Tab #2.", 5, 60, 150),
        el("Tab #1", 20, 123, 69), el("Tab #2", 107, 123, 71), el("Tab #3", 196, 123, 70),
    )  # fmt: skip
    assert G.best(s, "go to the second tab").element.name == "Tab #2"


def test_a_label_holding_both_words_of_a_relation_is_the_target() -> None:
    """ "the test file for the uploader" reads as "a test file near the uploader", but one
    file's name holds both words: that file, not the "tests" folder beside "uploader.py"."""
    s = screen(
        el("tests", 50, 364, 42), el("uploader.py", 69, 340, 90),
        el("test_uploader.py", 69, 385, 113),
    )  # fmt: skip
    assert G.best(s, "the test file for the uploader").element.name == "test_uploader.py"


def test_a_field_asked_for_by_what_it_holds_under_a_shorter_label() -> None:
    """ "the departure date": the field under the label "Depart" (one word in two forms)."""
    field = el("", 494, 220, 150, 46, role="text_field", source="detector")
    s = screen(el("Depart", 494, 196, 50), el("Fri 14 Jun", 510, 232, 90), a11y=[field])
    assert G.best(s, "the departure date").element.box.top == 220
    assert parse_query("Date").role is None  # alone it is a name (a column, a heading)


def test_a_row_asked_for_by_its_content() -> None:
    s = screen(
        el("#4815 Invoice shows old address", 325, 241, 241),
        el("#4819 Refund for double charge", 325, 194, 241),
        el("Invoices", 20, 100, 80),
    )  # fmt: skip
    found = G.best(s, "the ticket about the invoice address")
    assert found.element.box.top == 241 and found.score < 0.7
    with pytest.raises(TargetNotFound):
        G.best(s, "the ticket about the refund policy")  # one word of two is not enough


def test_an_icon_by_its_name_with_only_fillers_around_it() -> None:
    user = el("user (person, account, profile)", 10, 686, 28, 28, "icon", "detector")
    s = screen(el("Explorer", 60, 40, 80), user)
    assert G.best(s, "my account").element.box.top == 686


def test_a_part_named_by_its_colour() -> None:
    q = parse_query("the three dots on the blue card")
    assert (q.text, q.scope, q.colour) == ("three dots", None, "blue")


# -- controls named by what they do to a labelled thing ---------------------------------
def _icon(name: str, x: int, y: int) -> Element:
    return el(name, x, y, 18, 18, role="icon", source="detector")


def test_a_stepper_button_belongs_to_the_label_before_it() -> None:
    """ "Adults [-] 1 [+] Children [-] 0 [+]": the plus just left of "Children" is the
    adults' one; "add a child" is the plus after "Children" (an irregular plural too)."""
    plus, minus = "plus (add, increase)", "minus (remove, decrease, fewer)"
    s = screen(
        el("Adults", 817, 231, 52, 25), _icon(minus, 874, 234), el("1", 905, 231, 10, 25),
        _icon(plus, 930, 234), el("Children", 954, 231, 64, 25), _icon(minus, 1023, 234),
        el("0", 1055, 231, 10, 25), _icon(plus, 1079, 234),
    )  # fmt: skip
    assert G.best(s, "add a child").element.box.left == 1079
    assert G.best(s, "one adult fewer").element.box.left == 874


def test_a_verb_said_with_a_rows_name_is_the_control_on_that_row() -> None:
    """ "download Soil is a crowd": the download button on that episode's row, not its title;
    "report a problem with the Spotify payment": the flag on Spotify's row."""
    down = "arrow down to line (download, file download)"
    s = screen(
        el("41. Owls at night", 87, 312, 200, 28), _icon(down, 1154, 318),
        el("40. Soil is a crowd", 87, 390, 200, 28), _icon(down, 1154, 396),
    )  # fmt: skip
    assert G.best(s, "download Soil is a crowd").element.box.top == 396
    flag = "flag (report)"
    s = screen(
        el("Lidl", 335, 315, 40, 25), el("Card payment", 566, 315, 90, 25), _icon(flag, 865, 315),
        el("Spotify", 335, 396, 52, 25), el("Card payment", 566, 396, 90, 25),
        _icon(flag, 865, 396),
    )  # fmt: skip
    assert G.best(s, "report a problem with the Spotify payment").element.box.top == 396


def test_a_label_that_says_more_of_the_phrase_beats_alike_icons() -> None:
    """ "clear all recent searches": the "Clear all" link by the "Recent searches" heading,
    not one of the X buttons on the searches below it."""
    x = "process stop (clear, close, x, remove)"
    s = screen(
        el("Recent searches", 923, 364, 148, 26), el("Clear all", 1198, 366, 56, 23, "link"),
        el("London → Oslo", 966, 408, 110, 23), _icon(x, 1222, 418),
        el("London → Porto", 966, 463, 118, 23), _icon(x, 1222, 473),
    )  # fmt: skip
    assert G.best(s, "clear all recent searches").element.name == "Clear all"
    assert G.best(s, "remove the Oslo search").element.box.top == 418


def test_a_kind_of_thing_the_screen_does_not_show_may_go_unsaid() -> None:
    """ "untick the refund ticket": no label says "ticket"; the check box labelled "Refund
    for double charge" is meant. "open the customer list": "list" is no drop-down here."""
    s = screen(
        el("#4821 Refund for double charge", 60, 100, 220, 20, role="checkbox", source="detector"),
        el("#4822 Password reset", 60, 140, 220, 20, role="checkbox", source="detector"),
        _icon("users (people, contacts, customers)", 10, 300),
    )
    assert G.best(s, "untick the refund ticket").element.box.top == 100
    assert G.best(s, "open the customer list").element.box.top == 300


def test_a_loosely_named_anchor_costs_little() -> None:
    """ "the target symbol above the zoom buttons": the zoom buttons are a "+" named zoom in
    among other names; the target above them is still found."""
    s = screen(
        _icon("gps fixed (my location, target, crosshair)", 1224, 577),
        _icon("add (plus, increase, zoom in)", 1224, 640),
        _icon("remove (minus, decrease, zoom out)", 1224, 680),
        _icon("layers", 20, 577),
    )
    assert G.best(s, "the target symbol above the zoom buttons").element.box.top == 577


def test_a_verb_that_is_a_buttons_name_is_that_button_on_the_things_row() -> None:
    """ "follow Green Roofs Co." with a Follow button on each suggestion's row; "open
    Videos" is still Videos itself (opening is done on the thing)."""
    s = screen(
        el("City Cycling", 979, 60, 100, 26), el("Follow", 1123, 60, 72, 28, role="button"),
        el("Green Roofs Co.", 979, 118, 118, 26), el("Follow", 1123, 118, 72, 28, role="button"),
        el("Videos", 40, 300, 60, 20), el("Open", 400, 300, 50, 20, role="button"),
    )  # fmt: skip
    found = G.best(s, "follow Green Roofs Co.")
    assert (found.element.name, found.element.box.top) == ("Follow", 118)
    assert G.best(s, "open Videos").element.name == "Videos"


def test_a_search_hint_with_no_field_drawn_is_the_field() -> None:
    """A search box drawn without a frame shows only its hint, "Search Murmur"."""
    s = screen(el("For you", 416, 10, 69, 28), el("Search Murmur", 960, 18, 116, 26))
    found = G.best(s, "the search box on the right")
    assert found.element.box.left >= 960 and found.element.box.right <= 1076


def test_an_icon_named_by_the_verb_taken_off_or_by_every_word_said() -> None:
    """ "collapse all folders": "collapse" reads as a click verb, yet it is the icon's name;
    "play it on the TV": the cast icon's name holds every word, a play button only the first."""
    s = screen(
        _icon("compress (collapse, collapse all, shrink)", 200, 40),
        _icon("copy (duplicate, files)", 10, 40),
        _icon("play (play arrow)", 22, 312), _icon("play (play arrow)", 22, 390),
        _icon("television (tv, cast, play on tv)", 1159, 17),
    )  # fmt: skip
    assert G.best(s, "collapse all folders").element.box.left == 200
    assert G.best(s, "play it on the TV").element.box.left == 1159


def test_a_symbol_drawn_as_text_stands_for_its_icon_unless_an_icon_is_there() -> None:
    """A pager's "»" is the last-page button; a "–" read inside a recognised Sort icon does
    not make that icon a "decrease" button."""
    s = screen(el("1", 600, 700, 12, 20), el("2", 630, 700, 12, 20), el("»", 700, 700, 14, 20))
    assert G.best(s, "the double arrow at the far right of the pagination").element.name == "»"
    s = screen(
        _icon("Sort", 710, 52), el("–", 712, 54, 12, 12),
        _icon("Decrease (Decrease Indent)", 1164, 91),
    )  # fmt: skip
    assert G.best(s, "the Decrease icon in the toolbar").element.box.left == 1164


def test_an_anchor_only_loosely_like_the_words_does_not_hide_the_target() -> None:
    """ "the small X on the place card": no "place" on screen, and an aeroplane icon fuzzily
    like it must not rule out the X elsewhere."""
    s = screen(
        _icon("airport (airplane, aeroplane, plane)", 320, 13),
        _icon("down (down arrow)", 340, 60),
        el("Chinesischer Turm", 936, 309, 139, 23), el("X", 1128, 305, 27, 24),
    )  # fmt: skip
    assert G.best(s, "the small X on the place card").element.name == "X"


def test_a_controls_name_for_a_persons_thing() -> None:
    key = "key (password)"
    s = screen(
        el("Lena Fischer", 60, 300, 100, 20), _icon(key, 900, 301),
        el("Tomas Novak", 60, 340, 100, 20), _icon(key, 900, 341),
    )  # fmt: skip
    assert G.best(s, "reset Tomas Novak's password").element.box.top == 341


def test_a_shorter_reading_does_not_beat_an_icon_named_by_the_whole_phrase() -> None:
    """ "the paint bucket" is the fill icon (its other name), not the word "Paint"."""
    s = screen(
        el("Paint", 40, 300, 50, 20),
        _icon("color fill (fill color, paint bucket, bucket)", 800, 80),
    )
    assert G.best(s, "the paint bucket").element.box.left == 800
    s = screen(el("Recipes", 40, 20, 70, 20), el("Danish rugbrød", 300, 400, 120, 20))
    assert G.best(s, "open the rugbrød recipe").element.box.top == 400


def test_a_label_with_a_count_the_person_leaves_out() -> None:
    s = screen(el("Recipes", 40, 20, 70, 20), el("Search 12,000 recipes", 400, 20, 180, 24))
    assert G.best(s, "search for a recipe").element.name == "Search 12,000 recipes"


def test_the_whole_phrase_as_an_icons_other_name() -> None:
    """ "show the password": "show" reads as a verb, yet "show password" is the eye icon's
    other name, said whole."""
    s = screen(
        el("Password", 40, 100, 80, 20),
        _icon("visibility (reveal, show, show password, eye)", 400, 100),
    )
    assert G.best(s, "show the password").element.box.left == 400


def test_a_part_is_named_by_its_words_not_by_an_icons_guessed_name() -> None:
    """ "the small X on the place card": an icon one of whose guessed names is "place" is
    no card's title; the X is found where it is."""
    s = screen(
        _icon("gpp maybe (location, place, pin)", 54, 93),
        _icon("down (down arrow)", 86, 189),
        el("Chinesischer Turm", 936, 309, 139, 23), el("X", 1128, 305, 27, 24),
    )  # fmt: skip
    assert G.best(s, "the small X on the place card").element.name == "X"


def test_select_all_is_the_head_of_the_longest_column_of_check_boxes() -> None:
    """ "select every row on this page": a filter's check box comes first in reading order,
    but the table's column of boxes starts with the one that selects them all."""
    box = {"w": 13, "h": 13, "role": "checkbox", "source": "detector"}
    s = screen(
        el("Only users without 2FA", 830, 160, **box),  # type: ignore[arg-type]
        el("Name", 243, 240, **box),  # type: ignore[arg-type]
        *(el(f"User {i}", 243, 280 + 40 * i, **box) for i in range(4)),  # type: ignore[arg-type]
    )
    found = G.best(s, "select every row on this page")
    assert (found.element.box.left, found.element.box.top) == (243, 240)


def test_a_menu_is_the_word_in_the_menu_bar_not_the_window_title() -> None:
    s = screen(
        el("Calculator", 300, 2, 70, 18),  # the title, alone on its row
        el("Calculator", 5, 26, 70, 20),
        el("Mode", 80, 26, 45, 20),
        el("Help", 130, 26, 40, 20),
    )
    assert G.best(s, "the Calculator menu").element.box.top == 26


def test_a_files_name_without_its_extension_singles_out_its_row() -> None:
    dots = [
        el("more vertical (menu, three dots)", 800, y, 12, 20, "icon", "detector")
        for y in (100, 140, 180)
    ]
    files = [
        el(name, 280, y, 160, 20)
        for name, y in (
            ("Harbour festival 2025", 100),
            ("Stall budget.xlsx", 140),
            ("Site map.pdf", 180),
        )
    ]
    s = screen(*dots, *files)
    assert G.best(s, "more options for the budget").element.box.top == 140
    assert G.best(s, "the three dots on the third row").element.box.top == 180


def test_a_stepper_boxes_minus_belongs_to_the_label_written_beside_the_box() -> None:
    """The field finder names a stepper's box by its label; the minus next to "Rooms" is the
    one in Rooms' box, not the one above it, and "the minus for children" is no label."""
    rows = {"Adults": 150, "Children": 200, "Rooms": 250}
    texts = [el(name, 830, y, 60, 24) for name, y in rows.items()]
    boxes = [el(name, 1000, y - 6, 106, 36, "text_field", "detector") for name, y in rows.items()]
    minus = [
        el("remove (minus, decrease)", 1012, y + 4, 20, 12, "icon", "detector")
        for y in rows.values()
    ]
    s = screen(*texts, a11y=[*boxes, *minus])
    assert G.best(s, "the minus next to Rooms").element.box.top == 254
    assert G.best(s, "the minus for children").element.box.top == 204


def test_a_counted_row_of_a_named_region() -> None:
    bins = [el("delete (trash, bin)", 1200, y, 20, 20, "icon", "detector") for y in (170, 225, 280)]
    s = screen(*bins, el("Basket", 1000, 120))
    assert G.best(s, "the trash can on the bottom row of the basket").element.box.top == 280


def test_a_drop_down_by_what_it_shows_beside_a_person() -> None:
    s = screen(el("Dana Whitfield", 910, 126, 115, 26), el("Editor", 1192, 128, 48, 24))
    assert G.best(s, "the Editor drop-down next to Dana").element.name == "Editor"


def test_selecting_a_persons_row_ticks_its_box_where_rows_have_one() -> None:
    boxes = [el("", 240, y, 14, 14, "checkbox", "detector") for y in (340, 390, 440)]
    names = [
        el(n, 300, y - 4, 120, 22)
        for n, y in (("Ana Lima", 340), ("Omar Haddad", 390), ("Li Wei", 440))
    ]
    s = screen(*names, a11y=boxes)
    found = G.best(s, "select Omar's row").element
    assert found.role == "checkbox" and found.box.top == 390
    plain = screen(*names)  # no boxes: the row itself
    assert G.best(plain, "select Omar's row").element.name.startswith("Omar")


def test_a_steppers_plus_by_its_label_however_often_the_word_is_written_elsewhere() -> None:
    rows = {"Adults": 150, "Children": 200, "Rooms": 250}
    texts = [el(name, 830, y, 60, 24) for name, y in rows.items()]
    texts += [el("2 adults · 1 child · 1 room", 540, 20, 200, 24), el("Double room", 60, 400)]
    texts += [el("Room service", 60, 500), el("Family room", 60, 600)]
    plus = [
        el("plus (add, increase)", 1078, y + 4, 20, 20, "icon", "detector") for y in rows.values()
    ]
    counts = [el("1", 1045, y, 20, 22) for y in rows.values()]
    s = screen(*texts, *plus, *counts)
    assert G.best(s, "we need one more room").element.box.top == 254
    assert G.best(s, "add another child").element.box.top == 204


def test_the_big_or_the_small_one_of_alike_matches() -> None:
    squares = [
        el("square (box)", 10, 110, 28, 28, "icon", "detector"),
        el("square (box)", 200, 180, 44, 44, "icon", "detector"),
    ]
    s = screen(*squares)
    assert G.best(s, "the large square").element.box.left == 200
    assert G.best(s, "the tiny square").element.box.left == 10


def test_a_hint_in_a_field_drawn_without_a_frame_stands_for_the_field() -> None:
    s = screen(el("Type a message", 623, 745, 192, 36), el("Chats", 60, 30, 90, 24))
    found = G.best(s, "the message box")
    assert found.element.name == "Type a message" and "hint" in found.reason


def test_a_tasks_instructions_are_no_fields_hint() -> None:
    from guiagent.perception.spatial import reads_as_hint

    assert reads_as_hint("Type a message") and reads_as_hint("Search or start a new chat")
    assert not reads_as_hint('Enter the password "5z72" into both text fields and press submit.')


def test_one_word_of_a_request_names_the_one_label_holding_it() -> None:
    """ "hotels with a pool": no label says it all, but one short label, and no other text,
    says "pool"; the check box it names is the answer (weakly)."""
    box = el("", 41, 671, 15, 15, role="checkbox", source="detector")
    s = screen(
        el("Swimming pool", 60, 668, 120, 22),
        el("Free WiFi", 60, 640, 80, 22),
        el("Hotel Miradouro", 500, 400, 140, 22),
        a11y=[box],
    )
    best = G.best(s, "hotels with a pool")
    assert best.element.role == "checkbox" and best.element.name == "Swimming pool"
    assert best.score == pytest.approx(0.61) and "pool" in best.reason


def test_one_word_of_a_request_names_a_label_read_from_pixels_alone() -> None:
    """ "I need a hint" where the screen shows only the words "Show hint" (no control
    found around them): the words are the answer, at the bar, not just under it."""
    s = screen(el("Show hint", 528, 665, 72, 24), el("Next lesson", 1133, 429, 104, 26))
    best = G.best(s, "I need a hint")
    assert best.element.name == "Show hint" and "hint" in best.reason


def test_one_word_said_in_several_places_or_in_a_long_text_names_nothing() -> None:
    twice = screen(el("Swimming pool", 60, 668, 120, 22), el("Pool bar", 60, 700, 80, 22))
    with pytest.raises(TargetNotFound):
        G.best(twice, "hotels with a pool")
    long_text = screen(el("Relax by the large heated pool all year", 60, 668, 300, 22))
    with pytest.raises(TargetNotFound):
        G.best(long_text, "hotels with a pool")
    plain = screen(el("Only today", 60, 668, 120, 22))  # "only" says nothing particular
    with pytest.raises(TargetNotFound):
        G.best(plain, "only hotels with wifi")
    shown = screen(el("+ New note", 80, 66, 90, 23))  # "this note" is the one open
    with pytest.raises(TargetNotFound):
        G.best(shown, "delete this note")
    error = screen(el("Found 1 error.", 307, 680, 114, 23))  # "counter" is said nowhere
    with pytest.raises(TargetNotFound):
        G.best(error, "the errors and warnings counter")
    dana = screen(el("Dana Whitfield", 1040, 200, 110, 23))  # a name says whose, not which
    with pytest.raises(TargetNotFound):
        G.best(dana, "share it with Dana")
    awake = screen(el("Keep screen awake", 746, 477, 134, 23))  # "while I cook" is when
    assert G.best(awake, "keep the screen on while I cook").element.name == "Keep screen awake"


def test_start_is_a_verb_before_what_it_starts() -> None:
    s = screen(el("Slideshow", 1014, 18, 73, 23), el("+ New note", 80, 66, 90, 23))
    assert G.best(s, "start the slideshow").element.name == "Slideshow"
    assert G.best(s, "start a new note").element.name.endswith("New note")


def test_a_name_said_to_be_in_the_breadcrumb_trail_is_the_one_there() -> None:
    s = screen(
        el("Acme Logistics", 14, 53, 97, 23),  # the side bar's button, an exact match
        el("Admin / Acme Logistics / Users", 224, 12, 193, 23),
        el("Events", 339, 120, 60, 23),  # a trail drawn with chevrons between its names
        el("›", 320, 120, 10, 23),
        el("My files", 246, 120, 70, 23),
        el("Events", 600, 400, 60, 23),
    )
    best = G.best(s, "Acme Logistics in the breadcrumb")
    assert best.element.box.top == 12 and "trail" in best.reason
    assert G.best(s, "Acme Logistics").element.box.top == 53  # unsaid, the exact one
    assert G.best(s, "the Events folder in the path").element.box.as_list()[:2] == [339, 120]


def test_a_file_said_to_be_in_the_file_tree_is_the_one_on_the_left() -> None:
    s = screen(el("api.py", 325, 35, 44, 26), el("api.py", 88, 162, 49, 28))
    assert G.best(s, "api.py in the file tree").element.box.left == 88


def test_the_look_said_in_brackets_finds_an_icon_the_purpose_does_not_name() -> None:
    plus = el("add (plus, increase)", 1060, 20, 16, 16, role="icon", source="detector")
    low = el("add (plus, increase)", 345, 615, 16, 16, role="icon", source="detector")
    s = screen(el("Pull requests", 234, 61, 108, 26), a11y=[plus, low])
    best = G.best(s, "create something new (the plus at the bottom)")
    assert best.element.box.top == 615


def test_a_description_in_brackets_that_fits_leads_the_words_before_it() -> None:
    """ "switch organisation (the Acme Logistics button in the side bar)": a heading says
    "Organisation", but the person described the button; a description that fits nothing
    written ("(the two arrows)" is no "2") leaves the words before it in charge."""
    s = screen(
        el("Acme Logistics", 14, 53, 97, 23), el("ORGANISATION", 16, 271, 99, 20),
        el("Priya Raman", 300, 276, 90),
    )  # fmt: skip
    best = G.best(s, "switch organisation (the Acme Logistics button in the side bar)")
    assert best.element.name == "Acme Logistics"
    swap = el("swap horizontal (import export)", 306, 142, 19, 17, role="icon", source="detector")
    s = screen(el("2", 97, 281, 24, 27), el("Length", 40, 142, 60), a11y=[swap])
    assert G.best(s, "swap the two units (the two arrows)").element.role == "icon"


def test_a_drop_down_drawn_as_text_and_arrow_answers_for_a_drop_down() -> None:
    """With pixels alone a closed drop-down is its text and its arrow ("10√" as OCR reads
    "10 ⌄"); it beats the same number inside other text. "Kyiv" ends in no arrow."""
    s = screen(
        el("Rows per page", 235, 644, 97, 26),
        el("10√", 331, 643, 41, 25),
        el("1–10 of 1,284", 379, 644, 89, 23),
    )
    assert G.best(s, "the rows per page drop-down showing 10").element.name == "10√"
    from guiagent.perception.ground import _ends_in_an_arrow

    assert _ends_in_an_arrow("Newest ⌄") and not _ends_in_an_arrow("Kyiv")


def test_a_box_showing_words_is_where_they_are_not_a_field_beside_them() -> None:
    """ "the font size box showing 17": where no frame was seen around "17", the words are
    the box; a field found elsewhere is not "next to" them."""
    title = el("", 277, 228, 430, 123, role="text_field", source="detector")
    s = screen(el("Arial", 513, 68, 54, 21), el("17", 609, 68, 25, 20), a11y=[title])
    best = G.best(s, "the font size box showing 17")
    assert best.element.name == "17" and "shows" in best.reason
    assert parse_query("the font size box showing 17").shows


def test_a_file_named_in_a_path_singles_out_the_icon_on_its_row() -> None:
    copy = "copy (duplicate, files)"
    s = screen(
        el("src/tidewatch/retry.py", 370, 277, 176, 23),
        el("src/tidewatch/uploader.py", 370, 696, 200, 23),
        el("uploader.py", 68, 314, 83, 27),
        a11y=[
            el(copy, 550, 277, 22, 22, role="icon", source="detector"),
            el(copy, 573, 696, 22, 22, role="icon", source="detector"),
        ],
    )
    assert G.best(s, "copy the uploader.py path").element.box.top == 696


def test_the_part_a_target_is_said_to_be_in_singles_out_alike_icons() -> None:
    """ "the close button of the login dialog": the words naming the dialog are written
    near the one meant, not on it."""
    x = "close (x, dismiss)"
    s = screen(
        el("Newsletter", 100, 100, 90, 20),
        el("Login", 700, 400, 60, 20),
        a11y=[
            el(x, 300, 100, 16, 16, role="icon", source="detector"),
            el(x, 900, 400, 16, 16, role="icon", source="detector"),
        ],
    )
    assert parse_query("the close button of the login dialog").context == "login"
    assert G.best(s, "the close button of the login dialog").element.box.left == 900


def test_a_thing_with_another_drawn_in_it_is_the_one_around_it() -> None:
    cards = [el("card", x, 100, 120, 160, role="cell", source="detector") for x in (20, 160, 300)]
    star = el("star (starred)", 200, 150, 20, 20, role="icon", source="detector")
    s = screen(a11y=[*cards, star])
    q = parse_query("the card with a star on it")
    assert (q.text, q.relation) == ("card", "holds")
    best = G.best(s, "the card with a star on it")
    assert best.element.box.left == 160 and "holding" in best.reason


def test_the_middle_of_a_counted_row_is_whatever_is_there() -> None:
    squares = [
        el("square", 22 + 90 * c, 122 + 90 * r, 87, 87, role="cell", source="detector")
        for r in range(3)
        for c in range(3)
    ]
    s = screen(a11y=squares)
    best = G.best(s, "middle of the bottom row")
    assert (best.element.box.left, best.element.box.top) == (112, 302)
    assert G.best(s, "the middle of the top row").element.box.as_list()[:2] == [112, 122]


def test_the_only_slider_answers_for_a_slider_named_otherwise() -> None:
    slider = el("", 44, 290, 228, 15, role="slider", source="detector")
    s = screen(el("Your budget", 40, 250, 100, 20), a11y=[slider])
    best = G.best(s, "the price slider")
    assert best.element.role == "slider" and "only slider" in best.reason
    two = screen(a11y=[slider, el("", 44, 400, 228, 15, role="slider", source="detector")])
    with pytest.raises(TargetNotFound):
        G.best(two, "the price slider")


def test_an_ordinal_counts_the_alike_things_that_matched() -> None:
    """ "the first slide" is the first thumbnail of the strip, not a "Slide" menu above it
    that matched as well."""
    card = "card (thumbnail, slide, page)"
    cards = [el(card, 28, 115 + 94 * i, 150, 84, role="cell", source="detector") for i in range(5)]
    s = screen(el("Slide layout", 272, 32, 90, 22), a11y=cards)
    assert G.best(s, "the first slide").element.box.top == 115
    assert G.best(s, "the fifth slide").element.box.top == 115 + 94 * 4


def test_an_ordinal_counts_every_field_whatever_label_each_took() -> None:
    """ "Focus into the 2nd input textbox" where the first field took the instruction above
    it as its label and the others none: all three are fields, counted in order."""
    fields = [
        el("", 10, 60 + 40 * i, 160, 30, role="text_field", source="detector") for i in range(3)
    ]
    s = screen(el("Focus into the 2nd input textbox.", 5, 10, 300, 20), a11y=fields)
    assert G.best(s, "the 2nd input textbox").element.box.top == 100


def test_a_trail_word_well_below_an_exact_match_elsewhere_is_still_the_one_said() -> None:
    """Only the exact match is near the top score; the place said ("in the breadcrumb")
    still looks further down for a word in the trail."""
    s = screen(
        el("Acme Logistics", 14, 53, 97, 23),
        el("Home / Admin / Acme Logistics / Users / Settings / Security", 224, 12, 420, 23),
    )
    best = G.best(s, "Acme Logistics in the breadcrumb")
    assert best.element.box.top == 12 and "trail" in best.reason
