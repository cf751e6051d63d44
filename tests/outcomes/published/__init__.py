"""Published CPOP reference outputs (see README.md) and loaders for the tests that use them."""
