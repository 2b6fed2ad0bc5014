"""The memory unit: focus content (a number read on one screen, needed on another, or the
user's answer to a question) carried between steps instead of replaying the history."""

from __future__ import annotations


class Memory:
    def __init__(self, limit: int = 12) -> None:
        self.limit = limit
        self.notes: list[str] = []

    def add(self, *notes: str) -> None:
        for note in notes:
            note = " ".join(note.split())[:300]
            if note and note not in self.notes:
                self.notes.append(note)
        del self.notes[: max(0, len(self.notes) - self.limit)]

    def clear(self) -> None:
        self.notes.clear()

    def render(self, title: str = "Remembered") -> str:
        if not self.notes:
            return ""
        return f"{title}:\n" + "\n".join(f"- {n}" for n in self.notes) + "\n"
