"""Emailing the tracking code to the sender, when SMTP is configured.

Runs after the response is sent: the submission is already committed, so a
mail server that is down costs the sender an email, never the submission."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from .settings import Settings

log = logging.getLogger("cityportal.feedback.mailer")


def code_message(settings: Settings, recipient: str, code: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = recipient
    message["Subject"] = f"Mã theo dõi ý kiến của bạn: {code}"
    lookup = f"{settings.site_url}/gop-y/tra-cuu/?ma={code}" if settings.site_url else "/gop-y/tra-cuu/"
    message.set_content(
        "Kính gửi ông/bà,\n\n"
        "Cổng thông tin điện tử đã tiếp nhận ý kiến của ông/bà.\n"
        f"Mã theo dõi: {code}\n\n"
        f"Ông/bà có thể tra cứu tình trạng xử lý tại: {lookup}\n\n"
        "Đây là thư tự động, vui lòng không trả lời thư này.\n",
        charset="utf-8",
    )
    return message


def send_code(settings: Settings, recipient: str, code: str) -> None:
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(code_message(settings, recipient, code))
    except (OSError, smtplib.SMTPException) as error:
        # Only the code goes to the log, never the address.
        log.warning("could not email tracking code %s: %s", code, error)
