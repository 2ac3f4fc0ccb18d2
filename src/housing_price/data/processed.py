"""Write and read `data/processed/`: the split, its schema and its metadata.

Each file is replaced atomically and `metadata.json`, written last, records the
sha256 of the others; `load_processed` refuses files that do not match it, so a
half-finished `prepare` is caught instead of trained on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from housing_price.config.settings import Settings
from housing_price.data.schema import feature_requirements, validate_housing_frame
from housing_price.data.source import fetch_raw_csv
from housing_price.data.split import split_train_test
from housing_price.errors import DataError
from housing_price.utils.files import atomic_path, sha256_of_file, write_text_atomically

logger = logging.getLogger(__name__)

TRAIN_FILE = "train.parquet"
TEST_FILE = "test.parquet"
SCHEMA_FILE = "schema.json"
METADATA_FILE = "metadata.json"


@dataclass(frozen=True)
class ProcessedData:
    """The validated split and the metadata that describes it."""

    train: pd.DataFrame
    test: pd.DataFrame
    metadata: dict[str, Any]
    directory: Path

    @property
    def source_sha256(self) -> str:
        """sha256 of the raw CSV the split was made from."""
        return str(self.metadata["source"]["sha256"])


def prepare_data(settings: Settings) -> ProcessedData:
    """Fetch, validate and split the raw data, then write `data/processed/`."""
    raw = fetch_raw_csv(settings.data)
    try:
        frame = pd.read_csv(raw.csv_path)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise DataError(
            f"{raw.csv_path} is not a readable CSV ({err}); pass the original "
            "housing.csv or housing.tgz"
        ) from err
    frame = validate_housing_frame(frame, str(raw.csv_path), first_data_line=2)
    logger.info("Validated %d rows from %s", len(frame), raw.csv_path)

    train, test = split_train_test(
        frame, settings.data.test_size, settings.seed, settings.data.income_band_edges
    )
    directory = settings.data.processed_dir
    outputs = {TRAIN_FILE: train, TEST_FILE: test}
    for name, part in outputs.items():
        with atomic_path(directory / name) as temporary:
            part.to_parquet(temporary, index=False)
    write_text_atomically(
        directory / SCHEMA_FILE, json.dumps(feature_requirements(train), indent=2)
    )

    metadata = {
        "source": {"origin": raw.origin, "sha256": raw.csv_sha256, "rows": len(frame)},
        "seed": settings.seed,
        "test_size": settings.data.test_size,
        "income_band_edges": list(settings.data.income_band_edges),
        "rows": {"train": len(train), "test": len(test)},
        "files": {
            name: sha256_of_file(directory / name)
            for name in (TRAIN_FILE, TEST_FILE, SCHEMA_FILE)
        },
    }
    write_text_atomically(directory / METADATA_FILE, json.dumps(metadata, indent=2))
    logger.info(
        "Wrote %d train and %d test rows to %s", len(train), len(test), directory
    )
    return ProcessedData(train=train, test=test, metadata=metadata, directory=directory)


def load_processed(directory: Path) -> ProcessedData:
    """Read the split back, check it against its metadata and the contract.

    Raises:
        DataError: Files are missing, differ from what `prepare` wrote, or break
            the data contract; running `housing-price data prepare` fixes it.
    """
    metadata_path = directory / METADATA_FILE
    if not metadata_path.is_file():
        raise DataError(
            f"{metadata_path} does not exist; run `housing-price data prepare` first"
        )
    metadata = _read_metadata(metadata_path)
    for name, expected in metadata["files"].items():
        path = directory / name
        if not path.is_file() or sha256_of_file(path) != expected:
            raise DataError(
                f"{path} is missing or differs from what `prepare` wrote "
                f"(expected sha256 {expected}); run `housing-price data prepare` again"
            )
    train = validate_housing_frame(_read_split(directory / TRAIN_FILE), TRAIN_FILE)
    test = validate_housing_frame(_read_split(directory / TEST_FILE), TEST_FILE)
    return ProcessedData(train=train, test=test, metadata=metadata, directory=directory)


def _read_metadata(path: Path) -> dict[str, Any]:
    fix = "run `housing-price data prepare` again"
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(f"{path} cannot be read as JSON ({err}); {fix}") from err
    files = metadata.get("files") if isinstance(metadata, dict) else None
    expected = {TRAIN_FILE, TEST_FILE, SCHEMA_FILE}
    if not isinstance(files, dict) or not expected <= set(files):
        raise DataError(
            f"{path} does not list the sha256 of {sorted(expected)} as `prepare` "
            f"writes it; {fix}"
        )
    if (
        not isinstance(metadata.get("source"), dict)
        or "sha256" not in metadata["source"]
    ):
        raise DataError(f"{path} does not record the source's sha256; {fix}")
    return dict(metadata)


def _read_split(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as err:
        raise DataError(
            f"{path} is not a readable parquet file ({err}); "
            "run `housing-price data prepare` again"
        ) from err
