# Task timing for ansible-playbook runs of this repository: under each task's banner, how long the previous
# task took and the time since the run began; at the end, the slowest tasks. Enabled in ansible.cfg (callbacks_enabled).
from __future__ import annotations

import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: task_timing
type: aggregate
short_description: prints how long each task took and the slowest tasks of the run
description:
  - Under each task banner, prints the duration of the previous task and the elapsed time of the run.
  - At the end of the run, lists the slowest tasks.
requirements:
  - enabled in ansible.cfg with callbacks_enabled = task_timing
"""

SLOWEST_SHOWN = 5


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_timing"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._run_started = time.monotonic()
        self._current = None  # (label, started)
        self._durations = {}  # label -> seconds, summed over repeated runs of the same task

    def _finish_current(self):
        if self._current is None:
            return
        label, started = self._current
        took = time.monotonic() - started
        self._durations[label] = self._durations.get(label, 0.0) + took
        self._display.display(
            "  (the previous task took %.1fs; %.1fs into the run)" % (took, time.monotonic() - self._run_started),
            color="bright gray",
        )
        self._current = None

    def _start(self, task):
        self._finish_current()
        label = "%s | %s" % (task.get_path() or "", task.get_name())
        self._current = (label, time.monotonic())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start(task)

    def v2_playbook_on_play_start(self, play):
        self._finish_current()

    def v2_playbook_on_stats(self, stats):
        self._finish_current()
        total = time.monotonic() - self._run_started
        self._display.banner("SLOWEST TASKS")
        slowest = sorted(self._durations.items(), key=lambda item: item[1], reverse=True)[:SLOWEST_SHOWN]
        for label, seconds in slowest:
            name = label.split(" | ", 1)[1]
            self._display.display("%8.1fs  %s" % (seconds, name))
        self._display.display("%8.1fs  whole run" % total)
