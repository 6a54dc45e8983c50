"""The vocabulary every layer of cloudmart shares: settings, user-facing errors, run tags, the package order."""
