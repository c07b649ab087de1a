# ConvViz for self-hosting: docker build -t convviz . && docker run -p 8501:8501 convviz
# See docs/DEPLOY.md (several replicas need sticky sessions and one shared server.cookieSecret).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Run as an unprivileged user; the code stays owned by root, so the app cannot rewrite itself.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin convviz
WORKDIR /app

# Dependencies first: this layer is reused until requirements.txt changes.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# Only what the app needs at run time (no tests, benchmarks or docs). Fonts for Korean text in
# exported images ship inside the convviz package (convviz/pictures/data), so no system font package
# is needed.
COPY .streamlit/ .streamlit/
COPY app.py ./
COPY convviz/ convviz/
COPY ui/ ui/
COPY views/ views/
COPY locales/ locales/
COPY assets/ assets/

USER convviz
EXPOSE 8501

# Streamlit answers "ok" on /_stcore/health once the server is up (python: slim has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(0 if r.status == 200 else 1)"]

# Set STREAMLIT_SERVER_COOKIE_SECRET to the same value on every replica (see docs/DEPLOY.md).
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
