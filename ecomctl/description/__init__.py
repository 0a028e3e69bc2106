"""What the stack is, before anything runs: stack.yaml as typed objects, the teaching
switches it may run with, and the gateway config rendered from it."""
