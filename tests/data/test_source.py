import http.server
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from housing_price.config import DataSettings
from housing_price.data import fetch_raw_csv
from housing_price.errors import DataError
from housing_price.utils import sha256_of_file


def _make_archive(csv_path: Path, archive: Path, member: str = "housing.csv") -> Path:
    with tarfile.open(archive, "w:gz") as bundle:
        bundle.add(csv_path, arcname=member)
    return archive


@pytest.fixture
def loopback_server(workdir: Path) -> Iterator[tuple[str, Path]]:
    """A static file server on 127.0.0.1 serving the folder `served/`."""
    served = workdir / "served"
    served.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, *args):  # type: ignore[no-untyped-def]
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", served
    server.shutdown()
    server.server_close()


def test_local_csv_is_used_in_place_and_checked(synthetic_csv: Path) -> None:
    expected = sha256_of_file(synthetic_csv)
    raw = fetch_raw_csv(DataSettings(source=str(synthetic_csv), csv_sha256=expected))
    assert raw.csv_path == synthetic_csv
    assert raw.csv_sha256 == expected


def test_checksum_mismatch_names_both_hashes_and_the_fix(synthetic_csv: Path) -> None:
    with pytest.raises(
        DataError, match=r"sha256 [0-9a-f]{64}, expected 0{64}.*csv_sha256"
    ):
        fetch_raw_csv(DataSettings(source=str(synthetic_csv), csv_sha256="0" * 64))


def test_local_archive_is_unpacked_into_the_raw_folder(
    synthetic_csv: Path, workdir: Path
) -> None:
    archive = _make_archive(
        synthetic_csv, workdir / "housing.tgz", "housing/housing.csv"
    )
    raw = fetch_raw_csv(
        DataSettings(source=str(archive), csv_sha256=None, raw_dir=workdir / "raw")
    )
    assert raw.csv_path == workdir / "raw" / "housing.csv"
    pd.testing.assert_frame_equal(pd.read_csv(raw.csv_path), pd.read_csv(synthetic_csv))


def test_archive_without_housing_csv_is_rejected(
    synthetic_csv: Path, workdir: Path
) -> None:
    archive = _make_archive(synthetic_csv, workdir / "other.tgz", "other.csv")
    with pytest.raises(DataError, match=r"holds no housing\.csv"):
        fetch_raw_csv(DataSettings(source=str(archive), csv_sha256=None))


def test_corrupt_archive_is_a_clear_error(workdir: Path) -> None:
    broken = workdir / "broken.tgz"
    broken.write_bytes(b"not a tarball")
    with pytest.raises(DataError, match=r"not a readable \.tgz"):
        fetch_raw_csv(DataSettings(source=str(broken), csv_sha256=None))


def test_missing_source_says_how_to_pass_one(workdir: Path) -> None:
    with pytest.raises(DataError, match=r"does not exist.*HOUSING_PRICE_DATA_SOURCE"):
        fetch_raw_csv(DataSettings(source=str(workdir / "nowhere.csv")))


def test_unknown_file_kind_is_rejected(workdir: Path) -> None:
    odd = workdir / "housing.xlsx"
    odd.write_bytes(b"x")
    with pytest.raises(DataError, match=r"neither a \.csv nor a \.tgz"):
        fetch_raw_csv(DataSettings(source=str(odd)))


def test_download_is_verified_cached_and_unpacked(
    synthetic_csv: Path, workdir: Path, loopback_server: tuple[str, Path]
) -> None:
    base_url, served = loopback_server
    archive = _make_archive(synthetic_csv, served / "housing.tgz")
    settings = DataSettings(
        url=f"{base_url}/housing.tgz",
        archive_sha256=sha256_of_file(archive),
        csv_sha256=sha256_of_file(synthetic_csv),
        raw_dir=workdir / "raw",
    )
    raw = fetch_raw_csv(settings)
    assert (workdir / "raw" / "housing.tgz").is_file()
    assert raw.origin == settings.url

    archive.unlink()
    assert fetch_raw_csv(settings).csv_sha256 == raw.csv_sha256


def test_download_with_wrong_checksum_leaves_no_file(
    synthetic_csv: Path, workdir: Path, loopback_server: tuple[str, Path]
) -> None:
    base_url, served = loopback_server
    _make_archive(synthetic_csv, served / "housing.tgz")
    settings = DataSettings(
        url=f"{base_url}/housing.tgz", archive_sha256="1" * 64, raw_dir=workdir / "raw"
    )
    with pytest.raises(DataError, match="changed upstream or was damaged"):
        fetch_raw_csv(settings)
    assert list((workdir / "raw").iterdir()) == []


def test_failed_download_says_what_to_do(
    workdir: Path, loopback_server: tuple[str, Path]
) -> None:
    base_url, _ = loopback_server
    settings = DataSettings(url=f"{base_url}/missing.tgz", raw_dir=workdir / "raw")
    with pytest.raises(DataError, match=r"could not download .*missing\.tgz.*--source"):
        fetch_raw_csv(settings)


def test_truncated_archive_is_a_clear_error(synthetic_csv: Path, workdir: Path) -> None:
    archive = _make_archive(synthetic_csv, workdir / "housing.tgz")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match=r"not a readable \.tgz"):
        fetch_raw_csv(
            DataSettings(source=str(archive), csv_sha256=None, raw_dir=workdir / "raw")
        )
