"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from .ratelimit import RateLimiter

babel = Babel()
csrf = CSRFProtect()
migrate = Migrate()
login_manager = LoginManager()
# Limits are declared per view; the key is a keyed hash of the address, never the address itself.
limiter = RateLimiter()
