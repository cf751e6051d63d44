"""National frameworks: the National Performance Framework's outcomes and indicators."""
