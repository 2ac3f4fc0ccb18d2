"""House-price model development."""
