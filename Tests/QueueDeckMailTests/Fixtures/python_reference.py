"""Decodes mail files with Python's own `email` package (policy.default), as the reference the
Swift parser is compared with: subject, first From mailbox, and the text/plain body that
Message.get_body(('plain',)) chooses. Prints one JSON object keyed by file name."""
import email
import json
import os
import sys
from email import policy

out = {}
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        msg = email.message_from_binary_file(f, policy=policy.default)
    r = {}
    try:
        r['subject'] = str(msg['subject']) if msg['subject'] is not None else None
    except Exception as e:  # a header Python itself cannot read: not compared
        r['subject_error'] = repr(e)
    try:
        frm = msg['from']
        if frm is not None and len(frm.addresses) > 0:
            r['from_name'] = frm.addresses[0].display_name
            r['from_addr'] = frm.addresses[0].addr_spec
        else:
            r['from_addr'] = None
    except Exception as e:
        r['from_error'] = repr(e)
    try:
        body = msg.get_body(preferencelist=('plain',))
        r['body'] = body.get_content() if body is not None else None
    except Exception as e:
        r['body_error'] = repr(e)
    out[os.path.basename(path)] = r
json.dump(out, sys.stdout, ensure_ascii=False)
