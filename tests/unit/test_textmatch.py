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


def test_a_token_written_as_shown_names_its_label() -> None:
    """A time, a hashtag or an identifier written as the screen shows it is no common word:
    the label holding it is named, more surely than one holding a plain word said."""
    for query, name in (
        ("the video that is 47:10 long", "47:10"),
        ("more #wholegrain recipes", "#wholegrain"),
        ("jump to the by_date function in the side bar", "by_date [12]"),
    ):
        m = match_text(query, name)
        assert m is not None and m.reason == "its own token written as shown", (query, m)
    recipes = match_text("more #wholegrain recipes", "Recipes")
    hashtag = match_text("more #wholegrain recipes", "#wholegrain")
    assert recipes is not None and hashtag is not None and hashtag.score > recipes.score
    assert match_text("the video that is 47:11 long", "47:10") is None
    assert match_text("more #wholegrain recipes", "#wholegrain bakes") is None  # "bakes" unsaid


def test_a_number_said_tells_labels_apart() -> None:
    """ "see the 10-day forecast": "10 days", not "7-DAY FORECAST"; a count the person does
    not say still goes unsaid ("Reviews (212)")."""
    assert said_in_phrase("see the 10-day forecast", "7-DAY FORECAST") is None
    ten = said_in_phrase("see the 10-day forecast", "10 days")
    assert ten is not None and ten >= 0.7
    assert said_in_phrase("change how comments are sorted", "2,318 Comments") == said_in_phrase(
        "change how comments are sorted", "Comments"
    )


def test_two_labels_read_as_one_line_are_matched_by_the_part_said() -> None:
    m = match_text("show the pharmacy on the map", "Alfama, Lisbon Show on map")
    assert m is not None and m.reason == "a part of the line said"
    assert (
        m.span is not None and "Alfama, Lisbon Show on map"[m.span[0] : m.span[1]] == "Show on map"
    )
    # one word of a long text, or a part of a short label, is no label of its own
    assert match_text("hotels with a pool", "Relax by the large heated pool all year") is None
    assert match_text("keep the screen on while I cook", "Keep screen awake") is None


def test_words_said_apart_or_in_another_form_name_a_label() -> None:
    """ "when does the sun rise" for "Sunrise" (two words written as one), "when they
    arrive" for "on arrival" (a silent e dropped before the ending)."""
    assert said_in_phrase("when does the sun rise", "Sunrise") is not None
    assert said_in_phrase("stop the rider calling me when they arrive", "Call me on arrival")
    assert said_in_phrase("the public holidays", "Publish holidays") is None  # not one word


def test_a_unit_or_currency_shown_as_a_symbol_is_said_in_words() -> None:
    m = match_text("show temperatures in Fahrenheit", "°F")
    assert m is not None and "°F spelled out" in m.reason and m.score >= 0.6
    m = match_text("change the currency from euros", "EUR")
    assert m is not None and m.score >= 0.6
    assert match_text("show temperatures in Celsius", "°F") is None


def test_a_hyphenated_label_is_said_as_one_word() -> None:
    assert said_in_phrase("the note with the home wifi password", "Wi-Fi at home") is not None
    assert said_in_phrase("check in online now", "Check-in") is not None
