"""Public pages: Scotland, partnerships, communities."""
