"""Helpers used by more than one layer."""

from housing_price.utils.files import atomic_path, sha256_of_file, write_text_atomically
from housing_price.utils.signals import stop_signals_held

__all__ = [
    "atomic_path",
    "sha256_of_file",
    "stop_signals_held",
    "write_text_atomically",
]
