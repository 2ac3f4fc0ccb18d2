from pathlib import Path

import pytest
import yaml

from housing_price.config import load_settings, settings_hash
from housing_price.errors import ConfigError


def test_defaults_need_no_file_or_environment() -> None:
    settings = load_settings(environ={})
    assert settings.seed == 42
    assert settings.cv.folds == 5
    assert settings.tuning.max_evals == 50
    assert settings.tracking.uri == "sqlite:///mlflow.db"
    assert settings.registry.model_name == "housing-price"


def test_yaml_then_environment_then_overrides_take_precedence(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "seed: 1\ndata:\n  source: from-file.csv\ntuning:\n  max_evals: 7\n"
    )
    settings = load_settings(
        config,
        overrides=["tuning.max_evals=3"],
        environ={"HOUSING_PRICE_DATA_SOURCE": "from-env.tgz"},
    )
    assert settings.seed == 1
    assert settings.data.source == "from-env.tgz"
    assert settings.tuning.max_evals == 3


def test_invalid_value_names_the_setting_and_the_fix() -> None:
    with pytest.raises(ConfigError, match=r"cv\.folds.*given: 1"):
        load_settings(overrides=["cv.folds=1"], environ={})


def test_unknown_setting_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"tuning\.max_eval"):
        load_settings(overrides=["tuning.max_eval=3"], environ={})


def test_override_without_equals_sign_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"section\.key=value"):
        load_settings(overrides=["seed"], environ={})


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_config_file_that_is_not_a_mapping_is_rejected(tmp_path: Path) -> None:
    config = tmp_path / "list.yaml"
    config.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="mapping of sections"):
        load_settings(config, environ={})


def test_search_space_override_is_validated() -> None:
    with pytest.raises(ConfigError, match="low < high"):
        load_settings(
            overrides=[
                "tuning.search_spaces="
                "{decision_tree: {max_depth: {kind: int, low: 9, high: 3}}}"
            ],
            environ={},
        )


def test_settings_hash_changes_with_any_setting() -> None:
    base = load_settings(environ={})
    assert settings_hash(base) == settings_hash(load_settings(environ={}))
    assert settings_hash(base) != settings_hash(
        load_settings(overrides=["seed=7"], environ={})
    )


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parents[2] / "configs").glob("*.yaml"))
)
def test_shipped_config_files_load(path: Path) -> None:
    load_settings(path, environ={})


def test_the_production_profile_takes_its_backend_from_the_environment() -> None:
    profile = Path(__file__).resolve().parents[2] / "configs" / "production.yaml"
    backend = "postgresql://mlflow:secret@db.internal:5432/tracking"
    settings = load_settings(profile, environ={"HOUSING_PRICE_BACKEND_URI": backend})
    assert settings.server.backend_uri == backend
    assert settings.server.host == "127.0.0.1"
    assert settings.tracking.uri == f"http://127.0.0.1:{settings.server.port}"
    assert settings.server.auth.enabled is False


def test_params_yaml_in_the_working_directory_is_read_without_config(
    workdir: Path,
) -> None:
    (workdir / "params.yaml").write_text("seed: 3\ncv: {}\ntuning: {max_evals: 4}\n")
    settings = load_settings(environ={})
    assert settings.seed == 3
    assert settings.tuning.max_evals == 4
    assert settings.cv.folds == 5


def test_an_explicit_config_file_replaces_params_yaml(workdir: Path) -> None:
    (workdir / "params.yaml").write_text("seed: 3\n")
    (workdir / "other.yaml").write_text("tuning: {max_evals: 2}\n")
    settings = load_settings(workdir / "other.yaml", environ={})
    assert settings.seed == 42
    assert settings.tuning.max_evals == 2


def test_the_project_params_yaml_holds_only_sections_without_values() -> None:
    params_file = Path(__file__).resolve().parents[2] / "params.yaml"
    params = yaml.safe_load(params_file.read_text())
    assert all(value == {} for value in params.values())
    assert set(params) <= set(load_settings(environ={}).model_dump())


def test_a_family_listed_twice_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"names \['decision_tree'\] more than once"):
        load_settings(
            overrides=["training.families=[decision_tree, decision_tree]"], environ={}
        )


def test_a_search_space_for_an_untrained_family_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"ranges for \['decision_tree'\].*does not"):
        load_settings(
            overrides=[
                "training.families=[linear_regression]",
                "tuning.search_spaces={decision_tree: "
                "{max_depth: {kind: int, low: 2, high: 5}}}",
            ],
            environ={},
        )
