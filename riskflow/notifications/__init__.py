"""Notifications: what happened that a person must know, in the app's inbox, by mail (at once or in a daily
digest) and in a unit's 企业微信/钉钉 group. Services call `service.notify` in the transaction of the change;
the delivery job sends what was queued."""
