# Copy to instance/config.py and adjust. Environment variables PARTICIPATIE_<NAME> override these.
# ENV = "production"
# SECRET_KEY = "a random string of at least 32 characters, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
# DATABASE_URL = "postgresql://participatie@db.example/participatie"
# REDIS_URL = "redis://127.0.0.1:6379/0"
# MAIL_BACKEND = "smtp"
# MAIL_SERVER = "smtp.example.org"
# MAIL_PORT = 587
# MAIL_USERNAME = "participatie"
# MAIL_PASSWORD = "..."
# MAIL_SENDER = "Participatie Amersfoort <participatie@amersfoort.example>"
# PUBLIC_BASE_URL = "https://participatie.amersfoort.example"
# K_THRESHOLD = 10
# PROXY_FIX_HOPS = 1
