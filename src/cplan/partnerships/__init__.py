"""Community Planning Partnerships: one per council area, their family groups and (later) partners."""
