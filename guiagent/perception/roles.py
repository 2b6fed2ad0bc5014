"""Role vocabulary shared by fusion and grounding: what a person's role word can mean."""

from __future__ import annotations

import re

# A person's word -> the element roles it may name (drivers normalise roles, but spellings
# differ across AT-SPI, UIA, Android and the DOM, so grounding accepts the usual variants).
ROLE_WORDS: dict[str, frozenset[str]] = {
    # an icon seen in pixels is most often an icon-only button, and vice versa
    "button": frozenset(
        {"button", "push_button", "toggle_button", "menu_button", "split_button", "icon"}
    ),
    "text_field": frozenset(
        {
            "text_field",
            "entry",
            "edit",
            "textbox",
            "text_box",
            "input",
            "password_text",
            "password_field",
            "search_box",
            "searchbox",
            "spin_button",
            "combo_box",
            "textarea",
        }
    ),
    # a field for several lines: any field matches, one in state ``multi_line`` best
    "text_area": frozenset({"text_field", "entry", "edit", "textbox", "text_box", "textarea"}),
    "checkbox": frozenset({"checkbox", "check_box", "check_menu_item", "switch", "toggle"}),
    "radio_button": frozenset({"radio_button", "radio", "radio_menu_item"}),
    "link": frozenset({"link", "hyperlink"}),
    "menu_item": frozenset({"menu_item", "menu", "menu_bar_item", "menuitem", "menu_bar"}),
    "tab": frozenset({"tab", "page_tab", "tab_item"}),
    "combo_box": frozenset({"combo_box", "combobox", "dropdown", "list_box", "select"}),
    "icon": frozenset({"icon", "image", "img", "button", "push_button", "toggle_button"}),
    "text": frozenset({"text", "label", "static", "static_text", "paragraph", "heading"}),
    "list_item": frozenset({"list_item", "listitem", "option", "tree_item", "row", "cell"}),
    "slider": frozenset({"slider", "scroll_bar"}),
}

# Phrases (as typed) -> canonical role word above. Longest phrases are tried first.
ROLE_PHRASES: dict[str, str] = {
    "button": "button",
    "btn": "button",
    "key": "button",  # a calculator's or an on-screen keyboard's keys
    "folder": "list_item",  # items of a file tree or list ("the folder Dolores") ...
    "file": "list_item",  # ... never alone: "click File" is the File menu (see query)
    "field": "text_field",
    "text field": "text_field",
    "textfield": "text_field",
    "text box": "text_field",
    "textbox": "text_field",
    "input": "text_field",
    "input field": "text_field",
    "input box": "text_field",
    "input textbox": "text_field",
    "input text box": "text_field",
    "text input": "text_field",
    "text area": "text_area",
    "textarea": "text_area",
    "entry": "text_field",
    "box": "text_field",
    "checkbox": "checkbox",
    "check box": "checkbox",
    "tickbox": "checkbox",
    "toggle": "checkbox",
    "switch": "checkbox",
    "radio": "radio_button",
    "radio button": "radio_button",
    "option": "radio_button",
    "link": "link",
    "hyperlink": "link",
    "menu": "menu_item",
    "menu item": "menu_item",
    "tab": "tab",
    "dropdown": "combo_box",
    "drop-down": "combo_box",
    "drop down": "combo_box",
    "combo box": "combo_box",
    "combobox": "combo_box",
    "list": "combo_box",
    "picker": "combo_box",
    "chooser": "combo_box",
    "selector": "combo_box",
    "list box": "combo_box",
    "listbox": "combo_box",
    "icon": "icon",
    "image": "icon",
    "symbol": "icon",
    "arrow": "icon",  # "the back arrow"; never alone (see query): "Arrow" is a name
    "label": "text",
    "text": "text",
    "item": "list_item",
    "list item": "list_item",
    "slider": "slider",
}

# Roles whose element is worth a name taken from a nearby label.
LABELLED = frozenset(
    ROLE_WORDS["text_field"] | ROLE_WORDS["checkbox"] | ROLE_WORDS["radio_button"] | {"slider"}
)
# Roles that usually show their own name as text inside their box.
SELF_LABELLED = frozenset(
    ROLE_WORDS["button"]
    | ROLE_WORDS["menu_item"]
    | ROLE_WORDS["tab"]
    | ROLE_WORDS["link"]
    | ROLE_WORDS["list_item"]
    | {"heading", "label", "text", "static"}
)
# Structure-only roles: unnamed ones carry nothing a person could point at.
CONTAINERS = frozenset(
    {
        "window",
        "frame",
        "panel",
        "filler",
        "pane",
        "scroll_pane",
        "viewport",
        "layered_pane",
        "root_pane",
        "section",
        "grouping",
        "group",
        "generic",
        "unknown",
        "application",
        "desktop_frame",
        "split_pane",
        "tool_bar",
        "toolbar",
        "status_bar",
        "page_tab_list",
        "tab_list",
        "menu_bar",
        "form",
    }
)


def normalise_role(role: str) -> str:
    """``Push Button`` / ``push-button`` / ``pushButton`` -> ``push_button``."""
    role = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", role.strip())
    return re.sub(r"[\s\-]+", "_", role).lower()


def role_matches(element_role: str, wanted: str) -> bool:
    """Whether an element's role is one of the roles a canonical role word names."""
    role = normalise_role(element_role)
    return role == wanted or role in ROLE_WORDS.get(wanted, frozenset())
