"""Domain events other apps may listen to without the emitting app importing them.

``dossier_changed`` is sent inside the transaction of a dossier's state change, after the
dossier is saved, so a receiver writes in that same transaction (the upper-level portals'
sync messages are queued this way: the state change and its message commit together).
Arguments: ``dossier`` (saved, locked), ``action`` (the workflow action, e.g. "receive", or
"submit" for an online submission and "rate" for the applicant's rating), ``actor``, ``at``.
"""

from django.dispatch import Signal

dossier_changed = Signal()
