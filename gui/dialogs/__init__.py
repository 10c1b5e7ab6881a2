"""Dialogs. Each has an ``ask()`` classmethod and public input widgets and buttons, so a test
builds one alone, fills it in and clicks its buttons."""
