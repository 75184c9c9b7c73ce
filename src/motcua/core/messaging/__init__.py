"""Outgoing messages: SMS gateways (``sms``) and outbox delivery (``delivery``)."""
