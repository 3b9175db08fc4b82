"""Log output: JSON lines for a log collector (LOG_FORMAT=json), and the laptop's emails as log
lines at INFO instead of raw dumps on stdout."""

import datetime
import json
import logging

from django.core.mail.backends.base import BaseEmailBackend

mail_log = logging.getLogger("conect.email")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and the
    traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class ConsoleEmailBackend(BaseEmailBackend):
    """The default on a laptop: each email becomes one INFO log line (to, subject, body), so
    `make run` shows what would have been sent without flooding the terminal with MIME."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            mail_log.info(
                "email to %s: %s\n%s",
                ", ".join(message.recipients()),
                message.subject,
                message.body,
            )
        return len(email_messages)
