"""Policy catalog, theme templates and the checklist generator. Free of Qt."""
