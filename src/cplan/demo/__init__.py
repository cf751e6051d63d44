"""The demo data set: real published data loaded through the normal importers, plus clearly labelled
synthetic series where the real ones are missing (generated here with a fixed seed)."""
