"""Source templates of the support module a migrated project receives (read as text, never imported by it)."""
