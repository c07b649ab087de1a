"""The Learn page, one module per job.

* :mod:`~ui.learn.settings` -- the experiment, the training settings and the request they make;
* :mod:`~ui.learn.networks` -- the two networks, each edited in the Parameter counts page's layer table;
* :mod:`~ui.learn.live` -- the polling fragment: live curves while a training runs;
* :mod:`~ui.learn.charts` -- the accuracy curves and the session's parameters-against-accuracy chart;
* :mod:`~ui.learn.results` -- a finished training: the table, the overfitting note, the kernels;
* :mod:`~ui.learn.session` -- what a session keeps of its trainings (the last one, every run, bounded).

The training itself runs in :mod:`ui.server.training`'s service, never in a page run.
"""
