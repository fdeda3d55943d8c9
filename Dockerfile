# Polyglot Desk: the wheel under gunicorn, as an unprivileged user.
#   docker build -t polyglot-desk .
#   docker compose up          (web, SMTP in, workers and PostgreSQL: see compose.yaml)
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN pip wheel --no-cache-dir -w /wheels ".[production]"

FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/helpdesk helpdesk
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels "helpdesk[production]" \
 && rm -rf /wheels
USER helpdesk
WORKDIR /var/lib/helpdesk
ENV HELPDESK_DATA_DIR=/var/lib/helpdesk/data \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    PYTHONUNBUFFERED=1
EXPOSE 8000 2525
CMD ["gunicorn", "--config", "python:helpdesk.gunicorn_config", "helpdesk.wsgi:app"]
