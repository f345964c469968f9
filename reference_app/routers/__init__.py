"""One router per resource, included from `reference_app.main`."""
