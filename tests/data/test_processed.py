import json
from pathlib import Path

import pytest

from housing_price.config import load_settings
from housing_price.data import load_processed, prepare_data
from housing_price.errors import DataError
from housing_price.utils import sha256_of_file


def _prepare(source: Path) -> Path:
    settings = load_settings(
        overrides=[f"data.source={source}", "data.csv_sha256=null"], environ={}
    )
    prepare_data(settings)
    return settings.data.processed_dir


def test_prepare_writes_split_schema_and_metadata(synthetic_csv: Path) -> None:
    directory = _prepare(synthetic_csv)
    metadata = json.loads((directory / "metadata.json").read_text())
    assert metadata["rows"] == {"train": 320, "test": 80}
    assert metadata["seed"] == 42
    assert set(metadata["files"]) == {"train.parquet", "test.parquet", "schema.json"}
    schema = json.loads((directory / "schema.json").read_text())
    assert schema["target"]["name"] == "median_house_value"
    assert not list(directory.glob(".*")), "temporary files were left behind"

    loaded = load_processed(directory)
    assert len(loaded.train) == 320


def test_a_changed_processed_file_is_refused(synthetic_csv: Path) -> None:
    directory = _prepare(synthetic_csv)
    (directory / "test.parquet").write_bytes(b"truncated")
    with pytest.raises(
        DataError, match=r"test\.parquet is missing or differs.*prepare"
    ):
        load_processed(directory)


def test_training_without_prepare_says_to_prepare(workdir: Path) -> None:
    with pytest.raises(DataError, match="run `housing-price data prepare` first"):
        load_processed(workdir / "data" / "processed")


def test_invalid_rows_stop_prepare_before_any_file_is_written(
    synthetic_csv: Path, workdir: Path
) -> None:
    text = synthetic_csv.read_text().splitlines()
    text[5] = text[5].replace("NEAR BAY", "NEAR MARS").replace("INLAND", "NEAR MARS")
    text[5] = (
        text[5].replace("<1H OCEAN", "NEAR MARS").replace("NEAR OCEAN", "NEAR MARS")
    )
    synthetic_csv.write_text("\n".join(text) + "\n")
    with pytest.raises(DataError, match="NEAR MARS"):
        _prepare(synthetic_csv)
    assert not (workdir / "data" / "processed").exists()


@pytest.mark.parametrize(
    "metadata_text",
    ["not json", "[]", '{"files": {}}', '{"files": []}'],
)
def test_damaged_metadata_is_a_data_error_not_a_crash(
    synthetic_csv: Path, metadata_text: str
) -> None:
    directory = _prepare(synthetic_csv)
    (directory / "metadata.json").write_text(metadata_text)
    with pytest.raises(DataError, match=r"metadata\.json.*prepare` again"):
        load_processed(directory)


def test_an_unreadable_split_with_matching_metadata_is_a_data_error(
    synthetic_csv: Path,
) -> None:
    directory = _prepare(synthetic_csv)
    (directory / "train.parquet").write_bytes(b"garbage")
    metadata = json.loads((directory / "metadata.json").read_text())
    metadata["files"]["train.parquet"] = sha256_of_file(directory / "train.parquet")
    (directory / "metadata.json").write_text(json.dumps(metadata))
    with pytest.raises(DataError, match=r"not a readable parquet file"):
        load_processed(directory)
