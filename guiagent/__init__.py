"""guiagent: plain-words commands and scripted tasks turned into GUI actions."""

__version__ = "0.1.0"
