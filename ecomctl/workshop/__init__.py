"""Graded workshop exercises (docs/workshop/): `ecomctl workshop start N` marks where an
exercise begins on the learner's stack, `ecomctl workshop check N` grades what happened
since, from the stack's own records, each criterion held or not with what was found.

    lab         what the checks read: orders, charges, traces, queues, restarts, keys
    exercises   the exercises, each with what its start marks and what its check grades
"""
