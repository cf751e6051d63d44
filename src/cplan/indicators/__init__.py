"""The indicator catalogue, observations (values by area, period and breakdown) and imports."""
