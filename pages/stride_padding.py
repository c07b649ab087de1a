import streamlit as st
st.info('This page is being built.')  # placeholder until its issue lands
