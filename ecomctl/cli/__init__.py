"""What every command group shares: the runtime a command acts on, and user errors told
as one sentence and exit code 1."""
