"""Realistic demo data, kept in its own database and marked as demo."""
