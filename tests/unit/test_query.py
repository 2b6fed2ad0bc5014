"""Phrase parsing: which words are the name, the kind of control, and other readings."""

from __future__ import annotations

from guiagent.perception.query import MIDDLE, parse_query


def test_a_role_word_after_a_determiner_is_the_thing_acted_on() -> None:
    assert parse_query("create a new file").role is None
    q = parse_query("search across all files")  # "all" may end a name ("Reply all") ...
    assert q.fallback is not None and q.fallback.role is None  # ... so it is also read whole
    q = parse_query("the A button")  # a one-letter name is still a name
    assert (q.text, q.role) == ("A", "button")
    q = parse_query("the reply all icon")
    assert (q.text, q.role) == ("reply all", "icon")


def test_options_is_a_name_not_radio_buttons() -> None:
    q = parse_query("more options for the Transit Pulse post")
    assert (q.text, q.role, q.scope) == ("more options", None, "block")
    assert q.anchor is not None and q.anchor.text == "Transit Pulse"


def test_a_noun_role_is_also_read_as_part_of_the_name() -> None:
    q = parse_query("open the customer list")
    assert (q.text, q.role) == ("customer", "combo_box")
    assert q.fallback is not None and (q.fallback.text, q.fallback.role) == ("customer list", None)
    assert parse_query("the Save button").fallback is None


def test_a_kind_of_thing_said_last_may_be_left_out() -> None:
    q = parse_query("untick the refund ticket")
    assert q.role == "checkbox" and q.fallback is not None
    assert (q.fallback.text, q.fallback.role) == ("refund", "checkbox")


def test_a_shape_with_a_mark_is_also_read_as_an_icon_name() -> None:
    q = parse_query("the person with a plus on the password row")
    assert {"plus person", "person plus"} <= set(q.variants)
    assert q.scope == "row"
    q = parse_query("the list with a plus")
    assert q.role is None and "plus list" in q.variants
    assert "X circle" in parse_query("the red circle with an X").variants


def test_symbol_is_an_icon() -> None:
    q = parse_query("the target symbol above the zoom buttons")
    assert (q.text, q.role, q.relation) == ("target", "icon", "above")


def test_a_name_in_brackets_is_what_the_control_shows() -> None:
    q = parse_query("my profile menu (Jana)")
    assert q.text == "Jana" and q.fallback is not None and q.fallback.text == "my profile"
    assert parse_query("Reviews (214)").text == "Reviews (214)"  # a label as written
    assert parse_query("the reference field (optional)").fallback is None


def test_a_search_box_keeps_its_word() -> None:
    q = parse_query("the search box on the right")
    assert (q.text, q.role, q.place) == ("search", "text_field", "right")


def test_an_arrow_keeps_its_word_for_icon_names_in_a_part() -> None:
    q = parse_query("the down arrow on episode 41")
    assert (q.text, q.role, q.scope) == ("down", "icon", "row")
    assert "down arrow" in q.variants  # icon names say "arrow down to line"


def test_a_thing_on_a_named_persons_part() -> None:
    q = parse_query("reset Tomas Novak's password")
    assert (q.text, q.scope) == ("password", "part") and "reset password" in q.variants
    assert q.anchor is not None and q.anchor.text == "Tomas Novak"
    q = parse_query("open Tom's message")  # the part itself
    assert (q.text, q.scope) == ("Tom", None)


def test_symbol_is_a_name_inside_an_anchor() -> None:
    q = parse_query("the csv import in the symbol list")
    assert q.anchor is not None and (q.anchor.text, q.anchor.role) == ("symbol", None)


def test_a_control_by_what_it_shows() -> None:
    q = parse_query("the rows per page drop-down showing 10")
    assert (q.text, q.role) == ("10", "combo_box")
    assert q.fallback is not None and q.fallback.text == "rows per page"


def test_days_months_and_ampersands_as_screens_shorten_them() -> None:
    assert "Wed" in parse_query("Wednesday's forecast").anchor.variants  # type: ignore[union-attr]
    assert "roles & permissions page" in parse_query("the roles and permissions page").variants


def test_a_trailing_kind_word_may_go_unsaid_but_not_a_names_last_word() -> None:
    q = parse_query("open the rugbrød recipe")
    assert q.fallback is not None and q.fallback.text == "rugbrød"
    assert parse_query("route options").fallback is None
    assert parse_query("back to Baking").text == "Baking"


def test_commas_and_asides_in_brackets() -> None:
    q = parse_query("the plus at the bottom left, to add a sheet")
    assert (q.text, q.place) == ("plus", "bottom left") and "add a sheet" in q.variants
    q = parse_query("the circle with a line through it, on Daniel Costa's row")
    assert q.scope == "row" and q.anchor is not None and q.anchor.text == "Daniel Costa"
    q = parse_query("quit Geany (the door with the red arrow)")
    assert q.text == "quit Geany" and "the door with the red arrow" in q.variants
    assert parse_query("All users 1,284").text == "All users 1,284"


def test_a_switch_verb_may_turn_on_a_button() -> None:
    q = parse_query("turn on subtitles")
    assert q.role == "checkbox" and q.fallback is not None and q.fallback.role is None
    assert parse_query("untick the refund ticket").fallback.role == "checkbox"  # type: ignore[union-attr]


def test_hiding_a_thing_is_its_show_toggle() -> None:
    assert "show toolbar" in parse_query("hide the toolbar").variants
    assert "show thumbnail bar" in parse_query("bring back the thumbnail bar").variants


def test_an_hour_as_a_24_hour_clock_shows_it() -> None:
    assert "15:00" in parse_query("the forecast for 3 pm").variants
    assert "00:00" in parse_query("12 am").variants


def test_a_button_labelled_by_a_quoted_name_has_no_any_button_reading() -> None:
    q = parse_query('the button labeled "x"')
    assert (q.text, q.role, q.fallback) == ("x", "button", None)


def test_far_left_column_and_a_key_alone() -> None:
    q = parse_query("the key in the far left column")
    assert (q.text, q.role, q.scope, q.position) == ("key", None, "column", 1)
    assert (parse_query("the 7 key").text, parse_query("the 7 key").role) == ("7", "button")


def test_numbers_said_in_words_or_after_what_they_count() -> None:
    assert "4" in parse_query("number four").variants
    assert "2" in parse_query("go to page 2").variants
    assert "7" in parse_query("seven").variants
    assert "D" in parse_query("the header of column D").variants
    assert "12" in parse_query("row 12").variants
    assert parse_query("the 5").variants == ()  # a numeral alone is already itself
    assert "1" not in parse_query("the black one").variants


def test_moving_a_thing_to_the_trash_deletes_it() -> None:
    q = parse_query("move GitHub to the trash")
    assert (q.raw, q.text) == ("move GitHub to the trash", "delete GitHub")


def test_the_part_itself_when_the_verb_only_looks_at_it() -> None:
    assert parse_query("watch the Glacier Express video").text == "Glacier Express"
    assert parse_query("my Deutsche Bahn account").text == "Deutsche Bahn"
    q = parse_query("like Tom's post")  # a verb that acts: the control on the part
    assert (q.text, q.scope) == ("like", "block")


def test_tick_off_and_places_of_a_board_or_trail() -> None:
    q = parse_query("tick off the salt")
    assert (q.text, q.role) == ("salt", "checkbox")
    q = parse_query("the Bread link in the trail above the title")
    assert (q.text, q.role, q.relation) == ("Bread", "link", "above")
    q = parse_query("top right corner of the board")
    assert (q.text, q.place) == ("square", "top right")


def test_the_middle_one_of_counted_things_but_not_a_middle_name() -> None:
    q = parse_query("the centre square")
    assert (q.text, q.ordinal) == ("square", MIDDLE)
    assert parse_query("pick the middle card").ordinal == MIDDLE
    assert parse_query("the middle button").role == "button"
    q = parse_query("the middle name field")
    assert (q.text, q.ordinal) == ("middle name", None)


def test_a_look_said_before_a_thing_in_a_relation_keeps_its_colour() -> None:
    q = parse_query("the yellow star next to the title")
    assert (q.colour, q.relation) == ("yellow", "near") and "star" in q.variants


def test_calculator_keys_by_what_they_do() -> None:
    assert "x!" in parse_query("factorial").variants
    assert "|x|" in parse_query("the absolute value bars").variants
    assert "ln" in parse_query("natural log").variants
    q = parse_query("the x to the minus one key")
    assert q.role == "button" and "x-1" in q.variants and "1/x" in q.variants
    assert "F" in parse_query("hex digit F").variants


def test_a_place_or_a_description_after_a_comma() -> None:
    q = parse_query("absolute value, top right")
    assert (q.text, q.place) == ("absolute value", "top right")
    q = parse_query("episode 39, the one about owls")
    assert q.text == "episode 39" and {"39", "owls"} <= set(q.variants)


def test_show_more_of_something_is_also_the_show_more_link() -> None:
    assert "show more" in parse_query("show more people to follow").variants


def test_looking_for_something_is_also_the_search_box() -> None:
    q = parse_query("look for a file")
    assert q.relation is None and "search" in q.variants
    assert "search" in parse_query("find a chat").variants
    assert parse_query("Find").variants == ()  # a name, not a purpose


def test_one_more_or_one_fewer_of_a_thing_is_its_steppers_plus_or_minus() -> None:
    assert parse_query("we need one more room").text == "add room"
    assert parse_query("add another child").text == "add child"
    assert parse_query("make one loaf fewer").text == "remove loaf"
    assert parse_query("one fewer dan dan noodles").text == "remove dan dan noodles"


def test_size_and_colour_said_before_a_thing() -> None:
    q = parse_query("the big blue button on the left")
    assert (q.text, q.role, q.colour, q.size, q.place) == ("", "button", "blue", "big", "left")
    q = parse_query("the small black triangle")
    assert (q.colour, q.size) == ("black", "small") and "triangle" in q.variants


def test_a_name_then_its_kind_or_its_counted_part_after_a_comma() -> None:
    assert parse_query("harbourlabs, the organisation").text == "harbourlabs"
    q = parse_query("minus, last item")
    assert (q.text, q.scope, q.position) == ("minus", "row", -1)
    q = parse_query("the heart, second post")
    assert (q.text, q.scope, q.position) == ("heart", "block", 2)


def test_a_direction_before_a_pointing_shape_as_icon_names_say_it() -> None:
    assert "chevron down" in parse_query("the down chevron").variants


def test_a_capitalised_verb_before_a_capitalised_kind_is_a_name() -> None:
    """ "Start Menu", "Open Button": a name as written, not the verb and any menu."""
    start = parse_query("Start Menu")
    assert (start.text, start.role) == ("Start", "menu_item")
    assert parse_query("Open Button").text == "Open"
    assert parse_query("open the menu").text == ""  # a verb, then the kind wanted
    assert parse_query("start the timer").text == "timer"


def test_a_control_with_words_in_it_is_asked_for_by_them() -> None:
    q = parse_query("the destination box with Lisbon in it")
    assert (q.text, q.role) == ("Lisbon", "text_field")
    assert q.fallback is not None and q.fallback.text == "destination"
    assert parse_query("the field containing 42").text == "42"
    assert parse_query("the button that has a plus in it").role == "button"
    # a board's square holding a mark is no control by what it shows
    assert parse_query("the square with a circle in it").role is None


def test_a_question_before_a_colon_is_context_not_the_target() -> None:
    q = parse_query("how many guests: the 2 adults, 1 child button")
    assert (q.text, q.role) == ("2 adults 1 child", "button")
    assert parse_query("Sort by: Newest").text == "Sort by: Newest"


def test_a_trail_or_a_tree_is_where_the_target_is_not_its_name() -> None:
    from guiagent.perception.query import TRAIL

    q = parse_query("Acme Logistics in the breadcrumb")
    assert (q.text, q.place) == ("Acme Logistics", TRAIL)
    assert parse_query("Events in the path").place == TRAIL
    assert parse_query("api.py in the file tree").place == "left"
    assert parse_query("the path").text == "path"  # alone, a name


def test_a_thing_on_a_card_headed_by_a_proper_name_is_looked_for_on_that_card() -> None:
    q = parse_query("the map link on Hotel Miradouro")
    assert (q.text, q.role, q.scope) == ("map", "link", "part")
    assert q.anchor is not None and q.anchor.text == "Hotel Miradouro"
    assert parse_query("the star on Casa Azul Alfama").scope == "part"
    assert parse_query("turn on Dark Mode").scope is None  # a verb, then a name
    assert parse_query("click on Save As").text == "Save As"


def test_a_bracketed_description_is_tried_where_the_purpose_fits_nothing() -> None:
    q = parse_query("create something new (the plus at the top)")
    assert q.text == "create something new"
    assert q.fallback is not None and (q.fallback.text, q.fallback.place) == ("plus", "top")
    drop = parse_query("more number formats (the 123 drop-down)").fallback
    assert drop is not None and drop.text == "123" and drop.role is not None
    assert parse_query("rename the spreadsheet (click its title)").fallback is None


def test_type_before_a_question_word_asks_for_a_field() -> None:
    assert parse_query("type what to search for").role == "text_field"
    assert parse_query("type where I'm going").role == "text_field"
    assert parse_query("type hello").role is None  # what to type, no field named


def test_a_question_about_something_asks_for_that_thing() -> None:
    assert parse_query("any notifications for me?").text == "notifications"
    assert parse_query("what's in my basket?").text == "basket"
    assert parse_query("where is Alfama?").text == "Alfama"
    assert parse_query("did the checks pass?").text == "checks"
    assert parse_query("is there a discount?").text == "discount"


def test_an_amount_said_in_words_is_looked_for_as_screens_write_it() -> None:
    assert "€1" in parse_query("tip one euro").variants
    assert "$5" in parse_query("the 5 dollar option").variants
    assert parse_query("a pound of butter").variants == ()  # a weight, not money


def test_taking_a_thing_off_the_order_removes_it() -> None:
    assert parse_query("take the dumplings off the order").text == "remove the dumplings"


def test_the_way_to_do_it_named_after_with_is_the_control() -> None:
    q = parse_query("pay with PayPal")
    assert q.text == "PayPal" and "pay with PayPal" in q.variants
    assert parse_query("sign in with Google").text == "Google"
    assert parse_query("fill it with water").text != "water"  # no name: words as said


def test_switch_before_a_thing_is_a_verb_not_a_switch() -> None:
    """ "switch organisation", "switch the map to satellite": what to switch; "the wifi
    switch" and "switch on the lights" are switches."""
    assert parse_query("switch organisation").role is None
    assert parse_query("switch organisation").text == "organisation"
    assert parse_query("the wifi switch").role == "checkbox"
    assert parse_query("switch on the lights").role == "checkbox"
