"""The server side: work queues for a class clicking at once (:mod:`~ui.server.throttle`), process
settings and the reaper of closed sessions (:mod:`~ui.server.runtime`), every private Streamlit API
(:mod:`~ui.server.streamlit_internals`), and the notice after a replica lost an upload."""
