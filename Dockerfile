# Commonplace: one image for web (gunicorn), worker and beat (see docker-compose.yml).
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --system --create-home --uid 1000 commonplace

# Dependencies first, so code changes reuse this layer: exactly the pins of uv.lock (no dev or
# embedded extras), into the image's own Python.
COPY pyproject.toml uv.lock ./
RUN pip install uv==0.13.9 \
 && UV_PROJECT_ENVIRONMENT=/usr/local uv sync --frozen --no-install-project --no-cache

COPY . .
# collectstatic needs settings that load with DEBUG off: a throwaway key used only here.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-key-0123456789abcdefghijklmnop \
    STATIC_ROOT=/app/var/staticfiles python manage.py collectstatic --noinput -v 0 \
 && chown -R commonplace:commonplace /app/var

USER commonplace
ENV DEBUG=0 STATIC_ROOT=/app/var/staticfiles
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
