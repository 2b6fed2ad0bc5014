"""Platform drivers, imported as ``guiagent.platforms``; each backend is imported lazily."""
