"""Task suites shipped with guiagent (package data): ``guiagent eval run desktop``."""
