"""Text matching details that grounding relies on."""

from __future__ import annotations

from guiagent.perception.textmatch import said_in_phrase


def test_a_file_names_extension_goes_unsaid() -> None:
    assert said_in_phrase("the test file for the uploader", "test_uploader.py") is not None
    assert said_in_phrase("open the budget", "Stall budget.xlsx") is None  # "stall" unsaid
    assert said_in_phrase("the test file for the uploader", "test_uploader.py notes") is None
