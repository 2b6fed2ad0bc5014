"""Text matching details that grounding relies on."""

from __future__ import annotations

from guiagent.perception.textmatch import match_text, said_in_phrase


def test_a_file_names_extension_goes_unsaid() -> None:
    assert said_in_phrase("the test file for the uploader", "test_uploader.py") is not None
    assert said_in_phrase("open the budget", "Stall budget.xlsx") is None  # "stall" unsaid
    assert said_in_phrase("the test file for the uploader", "test_uploader.py notes") is None


def test_dots_that_separate_a_summary_may_go_unsaid() -> None:
    m = match_text("2 adults 1 child", "2 adults · 1 child · 1 room")
    assert m is not None and m.score >= 0.75 and "separators aside" in m.reason
    assert m.span is None  # the words are spread over the line: the whole line is the target
    assert match_text("Home · Help", "Home · Help") is not None


def test_a_label_holding_every_word_said_beats_a_near_spelling() -> None:
    """ "place my order" spells close to "Place order •" (fuzzy), but the label says every
    word the person said, "my" aside: that is the surer reading."""
    m = match_text("place my order", "Place order •")
    assert m is not None and m.score >= 0.84 and m.reason == "its words said in the phrase"
    assert said_in_phrase("place my order", "Place order") == 0.86
    assert said_in_phrase("order my place", "Place order") == 0.84  # same words, reordered
    # a number said that the label lacks: a ticket's number is no "Open tickets" tab's
    assert said_in_phrase("open ticket 4819", "Open tickets") is None
    assert said_in_phrase("search for a recipe", "Search 12,000 recipes") == 0.86
