"""Scotland's statistical geography: areas and their codes, deprivation, population, boundaries."""
