import json
from pathlib import Path

import yaml

from housing_price.config import load_settings
from housing_price.experiments.candidates import find_training_candidates
from housing_price.experiments.manifest import (
    REGISTERED_VERSION_TAG,
    find_dvc_lock_entry,
    find_lock_file_sha256,
    load_manifest,
)
from housing_price.experiments.tracking import connect
from housing_price.registry import find_best_candidate, register_candidate
from housing_price.utils.files import sha256_of_file


def test_every_candidate_run_logs_the_same_complete_manifest(
    trained_project: Path,
) -> None:
    context = connect(load_settings().tracking)
    runs = find_training_candidates(context)
    manifests = [load_manifest(context, run.info.run_id) for run in runs]

    assert manifests[0] == manifests[1]
    manifest = manifests[0]
    assert manifest["seed"] == 42
    assert manifest["config"]["tuning"]["max_evals"] == 3
    assert len(manifest["data"]["source_sha256"]) == 64
    assert set(manifest["data"]["files"]) == {
        "train.parquet",
        "test.parquet",
        "schema.json",
    }
    assert manifest["git"]["dirty"] in {"true", "false", "unknown"}
    assert len(manifest["environment"]["lock_sha256"]) == 64
    assert {"python", "scikit-learn", "mlflow"} <= set(
        manifest["environment"]["versions"]
    )
    assert {family: entry["run_id"] for family, entry in manifest["runs"].items()} == {
        run.data.tags["housing_price.family"]: run.info.run_id for run in runs
    }
    assert manifest["registered_model"] is None


def test_the_manifest_is_also_written_to_the_working_directory(
    trained_project: Path,
) -> None:
    context = connect(load_settings().tracking)
    run = find_training_candidates(context)[0]
    local = json.loads((trained_project / "manifest.json").read_text())
    assert local == load_manifest(context, run.info.run_id)


def test_the_manifest_metrics_are_the_logged_metrics(trained_project: Path) -> None:
    context = connect(load_settings().tracking)
    for run in find_training_candidates(context):
        entry = load_manifest(context, run.info.run_id)["runs"][
            run.data.tags["housing_price.family"]
        ]
        assert entry["cv_metrics"]["cv_rmse_mean"] == run.data.metrics["cv_rmse_mean"]
        assert entry["test_metrics"]["rmse"] == run.data.metrics["test_rmse"]


def test_registration_records_the_version_in_the_manifest_and_a_tag(
    trained_project: Path,
) -> None:
    settings = load_settings()
    context = connect(settings.tracking)
    registered = register_candidate(
        context, settings.registry, find_best_candidate(context)
    )

    manifest = load_manifest(context, registered.run_id)
    assert manifest["registered_model"] == {"name": "housing-price", "version": "1"}
    run = context.client.get_run(registered.run_id)
    assert run.data.tags[REGISTERED_VERSION_TAG] == "housing-price/1"


def test_the_dvc_lock_entry_is_the_stage_that_wrote_the_split(tmp_path: Path) -> None:
    lock = {
        "schema": "2.0",
        "stages": {
            "prepare": {
                "cmd": "housing-price data prepare",
                "outs": [{"path": "data/processed", "md5": "abc.dir"}],
            },
            "train": {"cmd": "housing-price train", "outs": [{"path": "x.json"}]},
        },
    }
    lock_file = tmp_path / "dvc.lock"
    lock_file.write_text(yaml.safe_dump(lock))

    entry = find_dvc_lock_entry(Path("data/processed"), lock_file)

    assert entry is not None
    assert entry["stage"] == "prepare"
    assert entry["outs"][0]["md5"] == "abc.dir"
    assert find_dvc_lock_entry(Path("elsewhere"), lock_file) is None
    assert find_dvc_lock_entry(Path("data/processed"), tmp_path / "none") is None


def test_the_lock_file_hash_is_the_project_uv_lock() -> None:
    project_lock = Path(__file__).resolve().parents[2] / "uv.lock"
    assert find_lock_file_sha256(project_lock.parent) == sha256_of_file(project_lock)
