# Companion: production image. Non-root; all state under /data (mount a volume).
#
# Models: by default the app downloads them on first use into /data (Whisper) and
# Chroma's cache (MiniLM). To run offline, mount them read-only at /models, or bake
# them in with --build-arg MODELS_DIR=<folder in the build context>:
#   /models/whisper      a faster-whisper model folder  (COMPANION_WHISPER_MODEL)
#   /models/minilm       the six all-MiniLM-L6-v2 ONNX files (COMPANION_EMBEDDING_MODEL_DIR)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    COMPANION_DATA_DIR=/data

RUN useradd --create-home --uid 10001 companion \
    && mkdir -p /data /models && chown companion:companion /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY memory ./memory
RUN pip install --no-cache-dir '.[postgres]'

ARG MODELS_DIR=
COPY ${MODELS_DIR:-bot/prompts} /tmp/models
RUN if [ -n "${MODELS_DIR}" ]; then cp -r /tmp/models/. /models/; fi; rm -rf /tmp/models

USER companion
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=10s --retries=3 CMD ["companion", "health"]
ENTRYPOINT ["companion"]
CMD ["run"]
