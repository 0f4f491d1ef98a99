# ConvStep: the pages and the REST API on port 8000, with the bundled model.
#   docker build -t convstep .
#   docker run --rm -p 8000:8000 convstep                      # http://127.0.0.1:8000
#   docker run --rm -p 8000:8000 -e WEB_CONCURRENCY=2 convstep  # two worker processes
# Every setting is a CONVSTEP_* environment variable (README, "Configuration").
# A whole class training at once: compose.yaml runs this image as web + training workers + Redis ("Scaling out").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /srv/convstep

# The dependencies first, read from pyproject.toml, so this layer stays cached while only the code changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the project, installed as in the README (editable: static/ and templates/ live at the top level).
COPY . .
RUN pip install -e . \
    && useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin convstep

# The app only reads its files; it runs as an unprivileged user.
USER convstep

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4).status != 200)"]

CMD ["convstep", "serve", "--host", "0.0.0.0", "--port", "8000"]
