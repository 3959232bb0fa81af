from __future__ import annotations

from flask import Flask

from participatie.mail import Attachment, build_message, send, send_template


def test_mail_is_delivered_over_smtp(app: Flask, smtp) -> None:
    with app.app_context():
        send(
            build_message(
                "ouder@example.org",
                "Bevestiging",
                "Hallo!",
                attachments=(
                    Attachment(
                        "sessie.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text", "calendar"
                    ),
                ),
            )
        )
    [message] = smtp.wait_for(1)
    assert message["X-Envelope-To"] == "ouder@example.org"
    assert message["Subject"] == "Bevestiging"
    assert smtp.text_of(message).strip() == "Hallo!"
    assert [part.get_filename() for part in message.iter_attachments()] == ["sessie.ics"]


def test_templates_render_in_the_recipients_language(app: Flask, smtp) -> None:
    with app.app_context():
        send_template("a@example.org", "account_locked", locale="en", name="Ann", minutes=15)
        send_template("b@example.org", "account_locked", locale="nl", name="Bo", minutes=15)
    english, dutch = smtp.wait_for(2)
    assert "temporarily locked" in english["Subject"]
    assert "tijdelijk geblokkeerd" in dutch["Subject"]
    assert "Dear Ann" in smtp.text_of(english)
