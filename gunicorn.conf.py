"""gunicorn settings for Shegong (read from the working directory, or `-c gunicorn.conf.py`).

The access log never holds a query string or a referrer: a search by ID number or mobile puts
them there. Each line names the request id the app sends back, so it matches the app's log.
"""

accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms [%({x-request-id}o)s]'
