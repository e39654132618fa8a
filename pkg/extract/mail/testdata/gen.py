#!/usr/bin/env python3
"""Regenerate the fixtures built with Python's email package.

Usage: cd pkg/extract/mail/testdata && python3 gen.py

Writes alternative.eml, nested.eml, forwarded.eml and python.mbox. All
content is synthetic: example.com addresses, the Visa test card, Ofcom
drama phone numbers, the documentation IBAN. Boundaries, dates and zip
timestamps are fixed so that the output is the same on every run.
"""
import io
import mailbox
import os
import zipfile
from email import encoders, policy
from email.header import Header
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

DATE = "Sun, 23 Nov 2025 10:00:00 +0000"
PEOPLE_CSV = (
    "name,email,phone\r\n"
    "Alice Example,alice@example.com,+44 20 7946 0958\r\n"
    "Bob Example,bob@example.com,+44 20 7946 0959\r\n"
)


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


def alternative():
    """multipart/alternative, ISO-8859-1 quoted-printable, RFC 2047 names."""
    m = MIMEMultipart("alternative", boundary="==alt-boundary==")
    # compat32 keeps these values as written: an ISO-8859-1 encoded-word,
    # a UTF-8 one, and one in a quoted display name (invalid, but common).
    m["From"] = formataddr((Header("Zoë Dupré", "iso-8859-1").encode(), "zoe.dupre@example.com"))
    m["To"] = "=?utf-8?q?Bj=C3=B6rn_Example?= <bjorn@example.com>, carol@example.com"
    m["Cc"] = '"=?utf-8?b?UmVuw6llIEV4YW1wbGU=?=" <renee@example.com>'
    m["Subject"] = Header("Données client – carte", "utf-8")
    m["Date"] = DATE
    m["Message-ID"] = "<alt-1@example.com>"
    plain = MIMEText("Bonjour Zoë,\nla carte 4111 1111 1111 1111 expire bientôt.\n", "plain", "iso-8859-1")
    html = MIMEText("<p>Bonjour Zo&euml;,</p><p>la carte <b>4111 1111 1111 1111</b></p>", "html", "iso-8859-1")
    m.attach(plain)
    m.attach(html)
    write("alternative.eml", m.as_bytes())


def people_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("people.csv", date_time=(2025, 11, 23, 10, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, PEOPLE_CSV)
    return buf.getvalue()


def nested():
    """mixed > (alternative > plain, html), zip (base64), csv (QP, RFC 2231 name)."""
    m = MIMEMultipart("mixed", boundary="outer-b")
    m["From"] = "Dana Example <dana@example.com>"
    m["To"] = "hr@example.com"
    m["Subject"] = "Staff list"
    m["Date"] = DATE
    m["Message-ID"] = "<nested-1@example.com>"
    alt = MIMEMultipart("alternative", boundary="inner-b")
    alt.attach(MIMEText("Attached: the staff list.\nIBAN GB82 WEST 1234 5698 7654 32\n", "plain", "utf-8"))
    alt.attach(MIMEText("<p>Attached: the staff list.</p>", "html", "utf-8"))
    m.attach(alt)
    z = MIMEApplication(people_zip(), "zip")
    z.add_header("Content-Disposition", "attachment", filename="people.zip")
    m.attach(z)
    c = MIMEBase("text", "csv", charset="utf-8")
    c.set_payload(PEOPLE_CSV.encode("utf-8"))
    encoders.encode_quopri(c)
    c.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "équipe ünd.csv"))
    m.attach(c)
    write("nested.eml", m.as_bytes())


def forwarded():
    """A message forwarded as message/rfc822."""
    inner = EmailMessage(policy=policy.SMTP)
    inner["From"] = "Eve Example <eve@example.com>"
    inner["To"] = "frank@example.com"
    inner["Subject"] = "Original"
    inner["Date"] = DATE
    inner.set_content("Call me on +44 20 7946 0958.\n")
    outer = EmailMessage(policy=policy.SMTP)
    outer["From"] = "Frank Example <frank@example.com>"
    outer["To"] = "grace@example.com"
    outer["Subject"] = "Fwd: Original"
    outer["Date"] = DATE
    outer.set_content("See the forwarded message.\n")
    outer.add_attachment(inner, disposition="attachment", filename="original.eml")
    outer.set_boundary("fwd-b")
    write("forwarded.eml", bytes(outer))


def mbox():
    """Two messages written by mailbox.mbox (mboxo escaping, a base64 attachment)."""
    if os.path.exists("python.mbox"):
        os.remove("python.mbox")
    box = mailbox.mbox("python.mbox", create=True)
    for i, who in enumerate(["heidi", "ivan"], 1):
        m = EmailMessage()
        m["From"] = f"{who.title()} Example <{who}@example.com>"
        m["To"] = "team@example.com"
        m["Subject"] = f"Report {i}"
        m["Date"] = DATE
        m.set_content(f"Hello,\nFrom now on, SSN 123-45-678{i} is on file.\n")
        m.add_attachment(b"id,ssn\n1,123-45-6789\n", maintype="application", subtype="octet-stream", filename="ids.bin")
        m.set_boundary(f"py-b{i}")
        mm = mailbox.mboxMessage(m)
        mm.set_from("MAILER-DAEMON", (2025, 11, 23, 10, 0, 0, 0, 327, 0))
        box.add(mm)
    box.close()


if __name__ == "__main__":
    alternative()
    nested()
    forwarded()
    mbox()
