"""The Learn page's helpers (ui.learn): chart data, the table, the notes, each from the runs' numbers."""
from __future__ import annotations

import numpy as np

from convviz.learn import compare_results
from convviz.numbers import format_count, format_percent
from tests.convviz.learn.test_report import result
from ui.learn import charts, results
from ui.learn.session import RunPoint

NAMES = {"conv": "Small conv net", "dense": "Dense net"}


def test_the_curve_data_are_the_histories():
    runs = {"conv": result(0.9, 0.8, epochs=4), "dense": result(1.0, 0.5, epochs=2)}
    frame = charts.curve_frame({k: r.history for k, r in runs.items()}, NAMES)
    assert len(frame) == 2 * (4 + 2)
    conv = frame[frame["key"] == "conv"]
    assert sorted(set(conv["epoch"])) == [1, 2, 3, 4]
    assert sorted(set(conv["accuracy"])) == [0.8, 0.9]
    assert set(frame["network"]) == set(NAMES.values())
    assert list(frame["accuracy_text"][:2]) == [format_percent(0.9), format_percent(0.8)]
    spec = charts.curves_spec({k: r.history for k, r in runs.items()}, NAMES, epochs=4)
    assert spec["encoding"]["color"]["scale"]["range"] == ["#0072B2", "#E69F00"]  # conv and dense colours
    assert charts.curves_spec({"conv": ()}, NAMES, epochs=4) is None


def test_the_runs_chart_has_one_point_per_run_on_a_log_axis():
    points = [RunPoint("shifted", "conv", "Small conv net", 6218, 0.95, 0.85, 1000, 30, 0.001, "adam"),
              RunPoint("bigger_dense", "dense", "Bigger dense net", 265482, 1.0, 0.5, 1000, 30, 0.001, "adam")]
    frame = charts.runs_frame(points)
    assert list(frame["params"]) == [6218.0, 265482.0] and list(frame["accuracy"]) == [0.85, 0.5]
    assert list(frame["params_text"]) == ["6,218", "265,482"]
    spec = charts.runs_spec(points)
    assert spec["encoding"]["x"]["scale"]["type"] == "log"
    assert charts.runs_spec([]) is None


def test_the_table_and_the_notes_quote_the_comparison():
    c = compare_results({"conv": result(0.95, 0.90, params=6218), "dense": result(1.0, 0.55, params=41802)})
    table = results.table_frame(c, NAMES).to_numpy().tolist()
    assert table[0][:4] == ["Small conv net", "6,218", "95.0%", "90.0%"]
    assert table[1][:4] == ["Dense net", format_count(41802), "100.0%", "55.0%"]
    note = results.overfitting_text(c, NAMES)
    assert "Dense net overfits" in note and "45 points" in note and "100.0%" in note and "55.0%" in note
    assert results.stuck_text(c, NAMES) is None
    stuck = compare_results({"conv": result(0.1, 0.1), "dense": result(0.9, 0.9)})
    assert "Small conv net" in results.stuck_text(stuck, NAMES)
    assert "Neither network overfits" in results.overfitting_text(stuck, NAMES)


def test_a_kernel_is_a_table_with_each_exact_weight_in_its_tooltip():
    html = results.kernel_html(np.array([[0.5, -0.25, 0], [1, 2, 3], [-1, -2, -3.125]]), "Kernel 1")
    assert html.count("<td") == 9 and "Kernel 1" in html
    assert 'title="-3.125"' in html and "#b35900" in html and "#1f5fbf" in html  # negative orange, positive blue


def test_the_live_line_counts_the_epochs_finished():
    from ui.learn.live import progress_text

    runs = {"conv": result(0.5, 0.4, epochs=3).history, "dense": ()}
    assert progress_text(runs, NAMES, 30) == "Small conv net: epoch 3 of 30 · Dense net: epoch 0 of 30"
