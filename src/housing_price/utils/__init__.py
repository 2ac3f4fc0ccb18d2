"""Helpers used by more than one layer."""

from housing_price.utils.files import atomic_path, sha256_of_file, write_text_atomically

__all__ = ["atomic_path", "sha256_of_file", "write_text_atomically"]
