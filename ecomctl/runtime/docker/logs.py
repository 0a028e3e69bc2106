"""Reads containers' output as (component, line) pairs: what each has written so far, then
(with follow) new lines from all of them as they arrive."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator

from ecomctl.runtime.log_lines import matches


def read_container_logs(containers: dict, *, follow: bool, grep: str | None) -> Iterator[tuple[str, str]]:
    since = int(time.time())
    for component, container in containers.items():
        for line in container.logs(stdout=True, stderr=True).decode(errors="replace").splitlines():
            if matches(line, grep):
                yield component, line
    if not follow:
        return
    lines: queue.Queue[tuple[str, str]] = queue.Queue()

    def pump(component: str, container) -> None:
        buffered = ""
        for chunk in container.logs(stream=True, follow=True, since=since):
            buffered += chunk.decode(errors="replace")
            *complete, buffered = buffered.split("\n")
            for line in complete:
                lines.put((component, line))

    for component, container in containers.items():
        threading.Thread(target=pump, args=(component, container), daemon=True).start()
    while True:
        component, line = lines.get()
        if matches(line, grep):
            yield component, line
