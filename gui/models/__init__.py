"""Qt item models: thin adapters over the plain dataclasses the Qt-free services return."""
