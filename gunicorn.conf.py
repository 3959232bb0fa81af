"""gunicorn settings: `gunicorn -c gunicorn.conf.py app:app`.

The access log format leaves out the client address (%(h)s): no IP addresses in logs.
"""

import multiprocessing
import os

bind = os.environ.get("PARTICIPATIE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PARTICIPATIE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("PARTICIPATIE_THREADS", 4))
timeout = 30
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
access_log_format = '"%(r)s" %(s)s %(b)s %(L)ss'
forwarded_allow_ips = os.environ.get("PARTICIPATIE_FORWARDED_ALLOW_IPS", "127.0.0.1")
