"""The layer table (ui.common.layer_table, the Parameter Counts page's editor) on what a link can bring."""
from __future__ import annotations

from convviz import LayerError
from convviz.nets import decode_table


def test_generated_links_are_refused_or_make_the_frame_the_page_shows():
    # issue 22: 49 of 340 tables decode_table accepted crashed ui.params.table.records_frame (now ui.common.layer_table)
    import random

    import pyarrow as pa

    from convviz.nets.summary import summarize_records
    from tests.hostile_text import random_rows, table_token
    from ui.common.layer_table import records_frame

    r = random.Random(22)
    outcomes = {"refused": 0, "shown": 0}
    for _ in range(340):
        rows = random_rows(r)
        try:
            records = decode_table(table_token(rows))
        except LayerError as err:
            assert err.code == "table_link_corrupt" and 1 <= err.params["row"] <= len(rows), (rows, err)
            outcomes["refused"] += 1
            continue
        frame = records_frame(records)  # pandas dtypes: Int64, string, boolean, Float64
        assert len(frame) == len(records) and list(frame["type"].astype(object).where(frame["type"].notna(), None)) \
            == [rec["type"] for rec in records]
        pa.Table.from_pandas(frame)  # what Streamlit sends the browser: no surrogate, no mixed column
        summarize_records(records, (3, 32, 32))  # rows that do not fit are the row's own LayerError
        outcomes["shown"] += 1
    assert outcomes["refused"] >= 50 and outcomes["shown"] >= 50, outcomes
