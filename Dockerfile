# Companion: production image. Non-root; all state under /data (mount a volume).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    COMPANION_DATA_DIR=/data

RUN useradd --create-home --uid 10001 companion \
    && mkdir -p /data && chown companion:companion /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY memory ./memory
RUN pip install --no-cache-dir '.[postgres]'

USER companion
VOLUME ["/data"]
ENTRYPOINT ["companion"]
CMD ["run"]
