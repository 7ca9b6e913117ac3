# One image for web, worker, beat, flower and migrate (docker-compose.yml picks the command).
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY app/ app/
COPY workers/ workers/
COPY migrations/ migrations/
COPY alembic.ini ./
RUN pip install --no-cache-dir . && useradd --system --uid 10001 imapcopier
COPY --from=frontend /src/frontend/dist /app/frontend/dist
USER imapcopier
EXPOSE 5000
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "--worker-class", "gthread", "--threads", "32", "app.wsgi:app"]
