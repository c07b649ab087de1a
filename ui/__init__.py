"""Streamlit-side helpers shared by the pages (rendering, translation, session state).

Everything numeric lives in :mod:`convviz`; this package only draws and translates.
"""
