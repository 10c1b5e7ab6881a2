"""The PySide6 desktop interface. Only this package (and main.py) imports Qt."""
