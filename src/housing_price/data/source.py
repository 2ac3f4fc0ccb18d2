"""Get the raw California housing CSV: a local file, or the checked download."""

from __future__ import annotations

import logging
import shutil
import tarfile
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

from housing_price.config.settings import DataSettings
from housing_price.errors import DataError
from housing_price.utils.files import atomic_path, sha256_of_file

logger = logging.getLogger(__name__)

CSV_NAME = "housing.csv"
ARCHIVE_NAME = "housing.tgz"
_ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")


@dataclass(frozen=True)
class RawData:
    """The raw CSV on disk and where it came from."""

    csv_path: Path
    csv_sha256: str
    origin: str


def fetch_raw_csv(settings: DataSettings) -> RawData:
    """Return the raw CSV, from `settings.source` or from the public archive.

    A local `.csv` is used in place; a local or downloaded `.tgz` is unpacked
    into `settings.raw_dir`. The CSV's sha256 is checked when one is configured.

    Raises:
        DataError: The source is missing or of an unknown kind, the download
            failed, the archive lacks housing.csv, or a checksum differs.
    """
    if settings.source:
        source = Path(settings.source).expanduser()
        origin = str(source)
        if not source.is_file():
            raise DataError(
                f"data source {source} does not exist; pass an existing housing.csv "
                "or housing.tgz with --source or HOUSING_PRICE_DATA_SOURCE"
            )
        if source.name.endswith(_ARCHIVE_SUFFIXES):
            csv_path = _extract_csv(source, settings.raw_dir / CSV_NAME)
        elif source.suffix == ".csv":
            csv_path = source
        else:
            raise DataError(
                f"data source {source} is neither a .csv nor a .tgz file; "
                "pass the housing.csv or housing.tgz of the California housing data"
            )
    else:
        origin = settings.url
        archive = _download_archive(settings)
        csv_path = _extract_csv(archive, settings.raw_dir / CSV_NAME)

    csv_sha256 = sha256_of_file(csv_path)
    if settings.csv_sha256 and csv_sha256 != settings.csv_sha256:
        raise DataError(
            f"{csv_path} has sha256 {csv_sha256}, expected {settings.csv_sha256} "
            "(the published California housing CSV). Use the original file, or set "
            "data.csv_sha256 to null to accept a different version knowingly."
        )
    logger.info("Raw data ready: %s (sha256 %s)", csv_path, csv_sha256[:12])
    return RawData(csv_path=csv_path, csv_sha256=csv_sha256, origin=origin)


def _download_archive(settings: DataSettings) -> Path:
    archive = settings.raw_dir / ARCHIVE_NAME
    if archive.is_file() and _archive_is_expected(archive, settings):
        logger.info("Using the cached download %s", archive)
        return archive

    logger.info("Downloading %s", settings.url)
    try:
        with (
            urllib.request.urlopen(
                settings.url, timeout=settings.download_timeout_seconds
            ) as response,
            atomic_path(archive) as temporary,
            temporary.open("wb") as handle,
        ):
            shutil.copyfileobj(response, handle)
            handle.flush()
            handle.close()
            if not _archive_is_expected(temporary, settings):
                raise DataError(
                    f"the download from {settings.url} has sha256 "
                    f"{sha256_of_file(temporary)}, expected {settings.archive_sha256}; "
                    "the file changed upstream or was damaged in transit. Try again, "
                    "or download it yourself and pass it with --source."
                )
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        raise DataError(
            f"could not download {settings.url}: {err}. Without internet access, "
            "fetch housing.tgz on another machine and pass its path with --source "
            "or the HOUSING_PRICE_DATA_SOURCE environment variable."
        ) from err
    return archive


def _archive_is_expected(archive: Path, settings: DataSettings) -> bool:
    return not settings.archive_sha256 or (
        sha256_of_file(archive) == settings.archive_sha256
    )


def _extract_csv(archive: Path, target: Path) -> Path:
    try:
        with tarfile.open(archive, "r:*") as bundle:
            member = next(
                (m for m in bundle.getmembers() if Path(m.name).name == CSV_NAME),
                None,
            )
            if member is None or not member.isfile():
                raise DataError(
                    f"{archive} holds no {CSV_NAME}; pass the housing.tgz of the "
                    "California housing data"
                )
            extracted = bundle.extractfile(member)
            assert extracted is not None
            with atomic_path(target) as temporary, temporary.open("wb") as handle:
                shutil.copyfileobj(extracted, handle)
    except (tarfile.TarError, EOFError, zlib.error) as err:
        # A truncated archive ends in EOFError, which the CLI would otherwise
        # report as a bare "Aborted."
        raise DataError(
            f"{archive} is not a readable .tgz archive ({err or 'it ends early'}); "
            "download it again or pass the housing.csv itself with --source"
        ) from err
    except PermissionError as err:
        raise DataError(
            f"cannot read {archive} ({err.strerror}); check its permissions"
        ) from err
    return target
