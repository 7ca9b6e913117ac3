"""The `imapcopier` command line: copy/compare for scripts, admin commands, the demo."""
