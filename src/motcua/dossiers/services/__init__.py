"""Every state change of a dossier: one function per transition of workflow.TRANSITIONS."""
