"""Run-level logging: parent runs per family, child runs per trial, the model.

Every write goes through `log_batch`, one call per run where the data allows,
because per-value calls cost a round trip each on a tracking server.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import mlflow
import pandas as pd
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature
from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID, MLFLOW_RUN_NAME

from housing_price.errors import TrackingError
from housing_price.experiments.provenance import model_pip_requirements
from housing_price.experiments.tracking import TrackingContext
from housing_price.utils.signals import stop_signals_held

logger = logging.getLogger(__name__)

MODEL_ARTIFACT_NAME = "model"
_LINEAGE_ATTEMPTS = 3
TAG_PREFIX = "housing_price."
ROLE_TAG = f"{TAG_PREFIX}role"
FAMILY_TAG = f"{TAG_PREFIX}family"
TRAINING_ID_TAG = f"{TAG_PREFIX}training_id"
MODEL_URI_TAG = f"{TAG_PREFIX}model_uri"
CANDIDATE_ROLE = "candidate"
TRIAL_ROLE = "trial"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def log_values(
    context: TrackingContext,
    run_id: str,
    params: Mapping[str, Any] | None = None,
    metrics: Mapping[str, float] | None = None,
    tags: Mapping[str, str] | None = None,
) -> None:
    """Write params, metrics and tags of one run in a single batch."""
    timestamp = int(time.time() * 1000)
    context.client.log_batch(
        run_id,
        metrics=[Metric(k, float(v), timestamp, 0) for k, v in (metrics or {}).items()],
        params=[Param(k, _param_text(v)) for k, v in (params or {}).items()],
        tags=[RunTag(k, str(v)) for k, v in (tags or {}).items()],
    )


def log_trial_run(
    context: TrackingContext,
    parent_run_id: str,
    trial_number: int,
    params: Mapping[str, Any],
    metrics: Mapping[str, float],
    tags: Mapping[str, str],
) -> str:
    """Record one tuning trial as a finished child run of `parent_run_id`."""
    run = context.client.create_run(
        context.experiment_id,
        run_name=f"trial-{trial_number:03d}",
        tags={MLFLOW_PARENT_RUN_ID: parent_run_id, ROLE_TAG: TRIAL_ROLE, **tags},
    )
    try:
        log_values(
            context,
            run.info.run_id,
            params=params,
            metrics=metrics,
            tags={f"{TAG_PREFIX}trial": str(trial_number)},
        )
    except BaseException as err:
        with stop_signals_held():
            context.client.set_terminated(run.info.run_id, ending_status(err))
        raise
    context.client.set_terminated(run.info.run_id, "FINISHED")
    return str(run.info.run_id)


@contextmanager
def family_run(
    context: TrackingContext, run_name: str, tags: Mapping[str, str]
) -> Iterator[str]:
    """Open the parent run of one model family and close it with the right status.

    A normal exit ends it FINISHED, an exception FAILED, and an interrupt
    (Ctrl-C, or SIGTERM turned into KeyboardInterrupt by the CLI) KILLED, so
    no run is left RUNNING.
    """
    run = mlflow.start_run(
        experiment_id=context.experiment_id,
        run_name=run_name,
        tags={MLFLOW_RUN_NAME: run_name, **tags},
    )
    status = "FINISHED"
    try:
        yield str(run.info.run_id)
    except BaseException as err:
        status = ending_status(err)
        raise
    finally:
        with stop_signals_held():
            mlflow.end_run(status=status)


def ending_status(err: BaseException) -> str:
    """KILLED for an interrupt (Ctrl-C, or SIGTERM raised as one), else FAILED."""
    return "KILLED" if isinstance(err, KeyboardInterrupt) else "FAILED"


def log_fitted_model(
    pipeline: Any,
    features_sample: pd.DataFrame,
    extra_files: Mapping[str, Mapping[str, Any]],
) -> str:
    """Log a fitted pipeline to the active run and check that it loads.

    The model is stored with cloudpickle: MLflow's default skops format would
    need every class in the pipeline allow-listed, and that allow-list is read
    back from the model itself, so it adds no safety over loading only models
    from your own registry. The package's source travels with the model
    (`code_paths`), so loading needs MLflow and scikit-learn, not this package.

    Args:
        pipeline: Fitted scikit-learn pipeline taking raw columns.
        features_sample: Raw feature rows; the signature and input example come
            from them, so the signature describes what an API caller sends.
        extra_files: JSON documents stored beside the model, by file name.

    Returns:
        The `models:/` URI of the logged model.

    Raises:
        TrackingError: The logged model has no signature or does not load.
    """
    predictions = pipeline.predict(features_sample)
    signature = infer_signature(features_sample, predictions)
    with tempfile.TemporaryDirectory() as staging:
        extra_paths = []
        for file_name, document in extra_files.items():
            path = Path(staging) / file_name
            path.write_text(json.dumps(document, indent=2), encoding="utf-8")
            extra_paths.append(str(path))
            mlflow.log_dict(dict(document), file_name)
        info = mlflow.sklearn.log_model(
            pipeline,
            name=MODEL_ARTIFACT_NAME,
            serialization_format="cloudpickle",
            signature=signature,
            input_example=features_sample.head(5),
            pip_requirements=model_pip_requirements(),
            code_paths=[str(_PACKAGE_DIR)],
            extra_files=extra_paths,
        )

    loaded = mlflow.pyfunc.load_model(info.model_uri)
    if loaded.metadata.get_input_schema() is None:
        raise TrackingError(
            f"the model logged at {info.model_uri} has no input signature; "
            "it cannot be served safely"
        )
    reloaded_predictions = loaded.predict(features_sample.head(5))
    if len(reloaded_predictions) != min(5, len(features_sample)):
        raise TrackingError(f"the model logged at {info.model_uri} does not predict")
    logger.debug("Logged and reloaded model %s", info.model_uri)
    return str(info.model_uri)


def log_dataset_lineage(
    frame: pd.DataFrame, name: str, source: str, context: str, target: str
) -> None:
    """Attach a dataset (with its digest and schema) as an input of the active run."""
    with warnings.catch_warnings():
        # A local path matches two equivalent MLflow source types; either is right.
        warnings.filterwarnings("ignore", message="The specified dataset source")
        dataset = mlflow.data.from_pandas(  # type: ignore[attr-defined]
            frame, source=source, name=name, targets=target
        )
    for attempt in range(1, _LINEAGE_ATTEMPTS + 1):
        try:
            mlflow.log_input(dataset, context=context)
            return
        except MlflowException as err:
            # Trainers started together insert the same dataset at once; the
            # store keeps one and refuses the others, which then find it and
            # only need to link it to their run.
            if attempt == _LINEAGE_ATTEMPTS or not _is_duplicate_key(err):
                raise
            logger.debug("Dataset %s was inserted concurrently; linking again", name)
            time.sleep(0.2 * attempt)


def _is_duplicate_key(err: MlflowException) -> bool:
    message = str(err.message).lower()
    return "duplicate key" in message or "unique constraint" in message


def _param_text(value: Any) -> str:
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, sort_keys=True)
    return str(value)
