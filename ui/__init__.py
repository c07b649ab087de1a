"""Streamlit-side helpers of the pages: widgets, translation, links, players, errors shown.

Everything numeric lives in :mod:`convviz`; this package reads widgets and draws.

* :mod:`ui.common` -- shared by every page (translation, session keys, links, select widgets,
  messages, predict-then-reveal, the photo every page works on, the click-to-pick chart);
* :mod:`ui.server` -- the server side (the work queues, process settings, Streamlit's private APIs);
* one subpackage per page: :mod:`ui.kernels`, :mod:`ui.stride`, :mod:`ui.receptive`,
  :mod:`ui.params`, :mod:`ui.inside`, :mod:`ui.home`;
* ``ui/static/`` -- the HTML, CSS and JavaScript sent to the browser.

A page subpackage imports :mod:`ui.common` and :mod:`ui.server`, never another page's.
"""
