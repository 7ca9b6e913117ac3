"""Notifications by e-mail and webhook: channels, events, the digest and delivery (docs/notifications.md)."""
