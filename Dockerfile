# The sendtracker application image: web (gunicorn), worker and beat (celery) all run it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so code changes do not reinstall them: exactly the versions in uv.lock (requirements.txt
# is its export, written by scripts/relock), hash-checked, the same ones CI tested.
COPY requirements.txt ./
RUN pip install --require-hashes --no-deps -r requirements.txt && pip check

COPY . .
# Hashed, compressed static files for whitenoise; the key only satisfies settings during the build.
RUN DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /data/media \
    && chown app:app /data/media

USER app
ENV DEBUG=0 \
    MEDIA_ROOT=/data/media

EXPOSE 8000
CMD ["gunicorn", "sendtracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
