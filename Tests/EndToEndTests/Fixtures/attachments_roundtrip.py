"""Attachments through qdeck, byte for byte, with Python's email package as the reference.

Usage: attachments_roundtrip.py QDECK WORKDIR [CORPUS_DIR]

Every message (a generated set, then each file of Python's own email test corpus) is delivered
with `qdeck ingest mail` into a journal of its own; each attachment qdeck kept is written back
with `qdeck attachment ID N` and must equal, byte for byte, the decoded payload of a part Python
finds in the same message. Prints one JSON object: counts, and every mismatch by name.
"""
import json, os, re, subprocess, sys
from email import message_from_bytes, policy
from email.message import EmailMessage

qdeck, work = sys.argv[1], sys.argv[2]
corpus = sys.argv[3] if len(sys.argv) > 3 else None
env = dict(os.environ, QDECK_AGENT="anna", QDECK_SENDMAIL="/bin/true")
env.pop("QDECK_JOURNAL", None)
env.pop("QDECK_CONFIG", None)


def run(args, stdin=None):
    # Intake as the mail server's user (the default roster's intake role), everything else as an agent.
    agent = "nobody" if "ingest" in args else "anna"
    return subprocess.run([qdeck] + args, input=stdin, capture_output=True, env=dict(env, QDECK_AGENT=agent))


def generated():
    """PNG, PDF, a UTF-8 name sent as RFC 2231, and a 30 MB file over the default 25 MB cap."""
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(180_000)
    pdf = b"%PDF-1.4\n" + os.urandom(50_000) + b"\n%%EOF\n"
    m = EmailMessage()
    m["From"] = "Anne <anne@example.org>"
    m["To"] = "support@desk.test"
    m["Subject"] = "Screenshot and invoice"
    m["Message-ID"] = "<gen-1@example.org>"
    m.set_content("See attached.\n")
    m.add_attachment(png, maintype="image", subtype="png", filename="screen.png")
    m.add_attachment(pdf, maintype="application", subtype="pdf",
                     filename="rēķins Nr. 2026-11 — ļoti garš nosaukums ar garumzīmēm un 中文.pdf")
    yield "generated: png, pdf, RFC 2231 name", bytes(m), 2, 0
    big = EmailMessage()
    big["From"] = "anne@example.org"
    big["To"] = "support@desk.test"
    big["Subject"] = "The whole disk image"
    big["Message-ID"] = "<gen-2@example.org>"
    big.set_content("30 MB attached.\n")
    big.add_attachment(os.urandom(30_000_000), maintype="application", subtype="octet-stream", filename="disk.img")
    yield "generated: 30 MB over the cap", bytes(big), 0, 1


def corpus_messages():
    if not corpus:
        return
    for name in sorted(os.listdir(corpus)):
        if name.startswith("msg_") and name.endswith(".txt"):
            with open(os.path.join(corpus, name), "rb") as f:
                yield name, f.read(), None, None


summary = {"messages": 0, "attachments": 0, "compared": 0, "notKept": 0, "mismatches": [], "failures": []}
for n, (name, raw, want_kept, want_over) in enumerate(list(generated()) + list(corpus_messages())):
    journal = os.path.join(work, f"j{n}.journal")
    r = run(["--journal", journal, "ingest", "mail"], raw)
    if r.returncode != 0:
        summary["failures"].append(f"{name}: ingest exit {r.returncode}: {r.stderr.decode(errors='replace')[:200]}")
        continue
    summary["messages"] += 1
    ids = re.findall(rb"[0-9A-Z]{3}-[0-9A-Z]{5}-[0-9A-Z]{3}", r.stdout)
    if not ids:
        continue  # held apart (a bounce or auto-reply matching no ticket)
    tid = ids[0].decode()
    listed = run(["--journal", journal, "attachment", tid, "--json"])
    files = json.loads(listed.stdout or b"[]")
    payloads = [p.get_payload(decode=True) or b"" for p in message_from_bytes(raw, policy=policy.compat32).walk() if not p.is_multipart()]
    kept = [f for f in files if f["kept"]]
    over = [f for f in files if not f["kept"]]
    summary["attachments"] += len(files)
    summary["notKept"] += len(over)
    if want_kept is not None and (len(kept), len(over)) != (want_kept, want_over):
        summary["failures"].append(f"{name}: {len(kept)} kept and {len(over)} over the cap; expected {want_kept} and {want_over}")
    for f in over:
        r = run(["--journal", journal, "attachment", tid, str(f["number"])])
        if r.returncode == 0 or b"not kept" not in r.stderr:
            summary["failures"].append(f"{name}: {f['name']} over the cap gave exit {r.returncode}")
    for f in kept:
        r = run(["--journal", journal, "attachment", tid, str(f["number"])])
        if r.returncode != 0:
            summary["failures"].append(f"{name}: attachment {f['number']}: exit {r.returncode}: {r.stderr.decode(errors='replace')[:200]}")
            continue
        summary["compared"] += 1
        if len(r.stdout) != f["size"] or r.stdout not in payloads:
            summary["mismatches"].append(f"{name}: {f['name']} ({len(r.stdout)} bytes)")
print(json.dumps(summary))
