"""The Parameter Counts page, one module per job.

* :mod:`~ui.params.options` -- batch size, multiply-adds or FLOPs, bias & BatchNorm, predict mode;
* :mod:`~ui.params.metrics` -- operations and memory in the headline;
* :mod:`~ui.params.table` -- the editable layer table, the summary table, a row's error;
* :mod:`~ui.params.paste` -- where the table starts (preset, link, pasted code) and its link;
* :mod:`~ui.params.guess` -- predict, then reveal: the total, one layer, the worked sum;
* :mod:`~ui.params.chart`, :mod:`~ui.params.trend`, :mod:`~ui.params.dense`,
  :mod:`~ui.params.tree` -- the per-layer chart, the trend of the notes, "dense instead", the
  read-only tree of a branching network;
* :mod:`~ui.params.words` -- a count or a formula in words.
"""
