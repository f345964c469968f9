"""legacy_app."""
