"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from .security import anonymous_client_key

babel = Babel()
csrf = CSRFProtect()
migrate = Migrate()
login_manager = LoginManager()
# Limits are declared per view; the key is a keyed hash of the address, never the address itself.
limiter = Limiter(key_func=anonymous_client_key, default_limits=[], headers_enabled=False)
