from pathlib import Path

import pytest

from housing_price.config import load_settings
from housing_price.data.processed import prepare_data
from housing_price.errors import ConfigError
from housing_price.training.consistency import check_split_matches_settings


def test_a_split_made_with_the_same_settings_passes(quick_project: Path) -> None:
    settings = load_settings(overrides=["data.source=synthetic.csv"])
    check_split_matches_settings(settings, prepare_data(settings))


def test_training_with_another_seed_than_the_split_is_rejected(
    quick_project: Path,
) -> None:
    data = prepare_data(load_settings(overrides=["data.source=synthetic.csv"]))
    with pytest.raises(ConfigError, match=r"prepared with seed=42.*uses seed=7"):
        check_split_matches_settings(load_settings(overrides=["seed=7"]), data)


def test_training_with_another_test_size_is_rejected(quick_project: Path) -> None:
    data = prepare_data(load_settings(overrides=["data.source=synthetic.csv"]))
    with pytest.raises(ConfigError, match=r"test_size=0\.2.*test_size=0\.3"):
        check_split_matches_settings(
            load_settings(overrides=["data.test_size=0.3"]), data
        )


def test_too_many_folds_for_the_rows_are_rejected(quick_project: Path) -> None:
    settings = load_settings(overrides=["data.source=synthetic.csv"])
    data = prepare_data(settings)
    small = type(data)(
        train=data.train.head(150),
        test=data.test,
        metadata=data.metadata,
        directory=data.directory,
    )
    with pytest.raises(ConfigError, match=r"cv\.folds=20 leaves 7 .* Lower cv\.folds"):
        check_split_matches_settings(load_settings(overrides=["cv.folds=20"]), small)
