"""Allow `python -m housing_price`."""

from housing_price.cli import main

main()
