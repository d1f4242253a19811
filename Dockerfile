ARG PYTHON_IMAGE=python:3.12-slim
FROM ${PYTHON_IMAGE}
# paperbot in a container: `docker compose up -d` (see README, "Self-hosting with Docker").
#
# Stage 0 (build): the runtime dependencies in a virtual environment at /opt/venv, and the
# code compiled to bytecode. pip and anything it downloads stay in this stage.

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv

# Only the runtime lock file first, so that editing the code, the corpus or the config
# reuses this layer instead of downloading and installing the dependencies again. Every
# package is pinned with its hashes (requirements/runtime.txt, made by pip-compile): the image
# gets exactly the versions CI tested, and pip refuses any file whose hash is not in the lock.
# The dependencies' own test suites (about 60 MB in numpy, scipy and scikit-learn) and the
# installer itself are not needed to run the bot: removed before the venv is copied.
COPY requirements/runtime.txt ./requirements.txt
RUN /opt/venv/bin/pip install --require-hashes -r requirements.txt \
    && find /opt/venv/lib -depth -type d -name tests -exec rm -rf {} + \
    && /opt/venv/bin/pip uninstall --yes pip setuptools

# The root filesystem is read-only for the bot's user, so Python could not write __pycache__
# at run time: compile now. checked-hash keeps the bytecode valid whatever the files' dates.
COPY bot/ /app/bot/
RUN /opt/venv/bin/python -m compileall -q --invalidation-mode checked-hash /app/bot


# Runtime stage: the base image plus the virtual environment, the code, the corpus and the
# config. No compiler, no pip cache, no tests.
ARG PYTHON_IMAGE=python:3.12-slim
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="paperbot" \
      org.opencontainers.image.description="A self-hostable Discord bot that answers questions about one researcher's papers." \
      org.opencontainers.image.licenses="MIT"

# PYTHONPATH: the code lives in /app/bot, so `python -m bot` works from any working directory.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    PATH=/opt/venv/bin:$PATH

# A fixed uid, so that host files given to the container (the token secret) can be made
# readable by it alone, and so orchestrators can verify that it is not root.
RUN useradd --uid 10001 --user-group --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin paperbot

WORKDIR /app
COPY --from=0 /opt/venv /opt/venv
COPY --from=0 /app/bot /app/bot
# The corpus belongs to the bot's user: a refresh rewrites it (compose keeps it in a named volume,
# which Docker seeds from here on first start). The config stays root's and read-only; /app/data
# holds what the bot remembers (announced papers).
COPY --chown=10001:10001 corpus/ /app/corpus/
COPY config/ /app/config/
RUN mkdir -p /app/data && chown 10001:10001 /app/data

USER 10001:10001

# Python turns SIGINT into KeyboardInterrupt even as PID 1 (it ignores SIGTERM there unless a
# handler is set), so `docker stop` ends the bot cleanly with or without an init process.
STOPSIGNAL SIGINT

# Healthy means connected to Discord: the bot writes the heartbeat file while its gateway
# connection is up (every 30 s) and removes it when the connection drops; `bot health` fails
# when the file is missing or older than 90 s (a stuck event loop, a killed process).
ENV BOT_HEARTBEAT_FILE=/tmp/paperbot/heartbeat
HEALTHCHECK --interval=1m --timeout=10s --start-period=1m --retries=2 \
    CMD ["python", "-m", "bot", "health"]

CMD ["python", "-m", "bot", "run"]
