"""Exchange packages between laptops: export, verify, import and merge. Free of Qt."""
