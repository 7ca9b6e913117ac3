"""The test bed: Dovecot servers, mail corpus, fault proxy, demo. Not packaged; used from a checkout."""
