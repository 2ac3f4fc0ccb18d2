import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from housing_price.cli import app

runner = CliRunner()
HEAVY_MODULES = ("mlflow", "sklearn", "pandas", "hyperopt", "matplotlib", "pyarrow")


def test_starting_the_cli_imports_no_heavy_library() -> None:
    code = (
        "import sys, housing_price.cli; "
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("data", "train", "register", "run", "report", "compare"):
        assert command in result.output


def test_bad_setting_exits_non_zero_without_traceback(workdir: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "housing_price", "train", "--set", "cv.folds=1"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 1
    assert "cv.folds" in completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout


def test_missing_source_is_reported_with_the_path(workdir: Path) -> None:
    result = runner.invoke(app, ["data", "prepare", "--source", "missing.tgz"])
    assert result.exit_code == 1
    assert "missing.tgz does not exist" in result.output


def test_prepare_from_a_local_csv(synthetic_csv: Path, workdir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "data",
            "prepare",
            "--source",
            str(synthetic_csv),
            "--set",
            "data.csv_sha256=null",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Prepared 320 train and 80 test rows" in result.output
    assert (workdir / "data" / "processed" / "train.parquet").is_file()


def test_train_before_prepare_says_what_to_run(workdir: Path) -> None:
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 1
    assert "housing-price data prepare" in result.output


def test_unknown_family_is_a_user_error(synthetic_csv: Path, workdir: Path) -> None:
    runner.invoke(
        app,
        [
            "data",
            "prepare",
            "--source",
            str(synthetic_csv),
            "--set",
            "data.csv_sha256=null",
        ],
    )
    result = runner.invoke(app, ["train", "--set", "training.families=[forest]"])
    assert result.exit_code == 1
    assert "unknown model family 'forest'" in result.output


def test_error_messages_with_square_brackets_print_verbatim(workdir: Path) -> None:
    result = runner.invoke(app, ["train", "--set", "cv.folds='[/]'"])
    assert result.exit_code == 1
    assert "[/]" in result.output
    assert "Traceback" not in result.output


def test_source_paths_with_yaml_characters_are_taken_literally(workdir: Path) -> None:
    result = runner.invoke(
        app, ["data", "prepare", "--source", "[2024] housing #2.csv"]
    )
    assert result.exit_code == 1
    assert "[2024] housing #2.csv does not exist" in result.output
