"""Functions that take a Session and return plain dataclasses; they neither open nor commit it."""
