from __future__ import annotations

from dataclasses import dataclass

import mlflow
import pytest

from housing_price.experiments.runs import MODEL_URI_TAG
from housing_price.serving.loader import LoadedModel, load_registered_model
from tests.conftest import preserved_mlflow_uris
from tests.model_store import Store, copy_store

MODEL_NAME = "housing-price"


@dataclass(frozen=True)
class Served:
    """A store where version 1 (float columns) holds production and version 2
    was trained on integer columns."""

    tracking_uri: str
    production: LoadedModel
    int_trained: LoadedModel


@pytest.fixture(scope="module")
def served(model_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Served:
    with preserved_mlflow_uris():
        context = copy_store(model_store, tmp_path_factory.mktemp("served"))
        for name in ("good", "int_columns"):
            run = context.client.get_run(model_store.run_ids[name])
            mlflow.register_model(run.data.tags[MODEL_URI_TAG], MODEL_NAME)
        context.client.set_registered_model_alias(MODEL_NAME, "production", "1")
        uri = context.tracking_uri
        return Served(
            tracking_uri=uri,
            production=load_registered_model(uri, MODEL_NAME, alias="production"),
            int_trained=load_registered_model(uri, MODEL_NAME, version="2"),
        )
