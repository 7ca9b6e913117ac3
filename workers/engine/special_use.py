"""CREATE with a special-use role (RFC 6154 CREATE-SPECIAL-USE): `CREATE "INBOX.Archive" (USE (\\Archive))`.

IMAPClient's `create_folder` sends no creation parameters, so this sends the command through its
imaplib connection (IMAPClient still encodes the name). A server may refuse the role with the
`[USEATTR]` response code (Cyrus accepts \\All only when configured to, and a role only once per
mailbox tree): the folder is then created without it, as before.
"""

from __future__ import annotations

import imaplib
import logging

from imapclient import IMAPClient

from workers.engine.imap import reply_bytes

logger = logging.getLogger(__name__)


def create_with_role(client: IMAPClient, folder: str, role: str) -> bool:
    """CREATE `folder` with `role`; False (nothing created) when the server refuses the role.

    Raises:
        imaplib.IMAP4.error for any other refusal (say, [ALREADYEXISTS]), as `create_folder` does.
    """
    typ, data = client._imap._simple_command("CREATE", client._normalise_folder(folder), f"(USE ({role}))")
    if typ == "OK":
        return True
    text = reply_bytes(data)
    if b"[USEATTR]" in text.upper():
        logger.info("copy.role_refused folder=%s role=%s reply=%r", folder, role, text[:200])
        return False
    raise imaplib.IMAP4.error(f"CREATE command error: {typ} {text.decode('utf-8', 'replace')}")
