"""The `housing-price` command line."""

from housing_price.cli.app import app, main

__all__ = ["app", "main"]
