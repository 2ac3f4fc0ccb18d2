"""The notebooks run top to bottom on the real data, so they never rot.

They are executed in a temporary folder whose params.yaml asks for few trials
and folds; the data comes from HOUSING_PRICE_DATA_SOURCE like everywhere else.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.e2e

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
QUICK_PARAMS = "cv: {folds: 3}\ntuning: {max_evals: 3}\n"


def test_both_notebooks_are_there() -> None:
    assert [path.name for path in NOTEBOOKS] == [
        "01_explore_data.ipynb",
        "02_model_development.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_executes_with_the_package_api(path: Path, tmp_path: Path) -> None:
    (tmp_path / "params.yaml").write_text(QUICK_PARAMS)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )

    client.execute()

    assert any("housing_price" in cell.source for cell in notebook.cells)
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert errors == []
    assert not (tmp_path / "mlflow.db").exists()
