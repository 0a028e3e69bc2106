"""Names and labels of what the docker runtime creates, derived from the stack's name so two
stacks with different names live side by side."""

from __future__ import annotations

from ecomctl.description.stack_file import Stack

LABEL_PREFIX = "org.ecomlab"
STACK_LABEL = f"{LABEL_PREFIX}.stack"
COMPONENT_LABEL = f"{LABEL_PREFIX}.component"
KIND_LABEL = f"{LABEL_PREFIX}.kind"
CONFIG_LABEL = f"{LABEL_PREFIX}.config-hash"  # a container is recreated when its spec changes
INPUTS_LABEL = f"{LABEL_PREFIX}.inputs-hash"  # an image is rebuilt when its inputs change

BACKEND_NETWORK = "backend"


def container_name(stack: Stack, component: str) -> str:
    return f"{stack.name}-{component}"


def network_name(stack: Stack, network: str) -> str:
    return f"{stack.name}-{network}"


def volume_name(stack: Stack, volume: str) -> str:
    return f"{stack.name}-{volume}"


def database_network(service: str) -> str:
    return f"{service}-db"


def stack_labels(stack: Stack, **extra: str) -> dict[str, str]:
    return {
        STACK_LABEL: stack.name,
        **{f"{LABEL_PREFIX}.{key.replace('_', '-')}": value for key, value in extra.items()},
    }


def stack_filter(stack: Stack) -> dict[str, list[str]]:
    """The Docker API filter that finds this stack's things."""
    return {"label": [f"{STACK_LABEL}={stack.name}"]}
