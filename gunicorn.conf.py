"""gunicorn settings: `gunicorn -c gunicorn.conf.py app:app`.

The access log format leaves out the client address (%(h)s): no IP addresses in logs. The logger
class below also scrubs every access and error log line (participatie.security.LogScrubFilter):
request lines hold invitation links, resume codes and sign-in links, which would let whoever
reads the log answer someone's survey or manage their data.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

from participatie.security import LogScrubFilter


class ScrubbingLogger(Logger):
    """gunicorn's logger with the app's log filter on its access and error logs.

    Set here, not only by the app: the master process logs too (errors handling a request name
    its path), and a logging configuration of the operator's must not drop the filter."""

    def setup(self, cfg):  # type: ignore[no-untyped-def]
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(existing, LogScrubFilter) for existing in log.filters):
                log.addFilter(LogScrubFilter())


bind = os.environ.get("PARTICIPATIE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PARTICIPATIE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("PARTICIPATIE_THREADS", 4))
timeout = 30
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
access_log_format = '"%(r)s" %(s)s %(b)s %(L)ss'
logger_class = ScrubbingLogger
forwarded_allow_ips = os.environ.get("PARTICIPATIE_FORWARDED_ALLOW_IPS", "127.0.0.1")
