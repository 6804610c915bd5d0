"""Child processes end with their parent, even when it is killed outright."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.process import die_with_parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux")

PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1]])
open(sys.argv[2], "w").write(str(child.pid))
time.sleep(60)
"""
CHILD_DIES = (
    "from kg.process import die_with_parent; import time; die_with_parent(); time.sleep(60)"
)
CHILD_STAYS = "import time; time.sleep(60)"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie waits for its (new) parent to reap it: it has ended all the same
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _orphan_after_kill(child: str, tmp_path: Path) -> bool:
    pid_file = tmp_path / "pid"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, child, str(pid_file)])
    try:
        for _ in range(100):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.05)
        time.sleep(1.0)  # the child has imported kg and asked
        pid = int(pid_file.read_text())
        parent.kill()  # SIGKILL: the parent cannot stop its child itself
        parent.wait()
        for _ in range(50):
            if not _alive(pid):
                return False
            time.sleep(0.1)
        return True
    finally:
        parent.kill()
        if pid_file.exists() and pid_file.read_text():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid_file.read_text()), signal.SIGKILL)


def test_a_child_that_asked_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    assert not _orphan_after_kill(CHILD_DIES, tmp_path)


def test_without_asking_the_child_would_outlive_its_parent(tmp_path: Path) -> None:
    """The control: the test above can fail."""
    assert _orphan_after_kill(CHILD_STAYS, tmp_path)


def test_it_reports_whether_it_could_arrange_it() -> None:
    assert die_with_parent(0) is True  # signal 0: asks for nothing, changes nothing


def test_a_child_whose_parent_is_already_gone_ends_at_once() -> None:
    """A worker that asks after its slow start-up may find kg gone and itself adopted: told
    the pid kg had, it sees that its parent is another one and ends."""
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kg.process import die_with_parent; import time; "
            "die_with_parent(parent=-1); time.sleep(30)",
        ],
        timeout=20,
    )
    assert child.returncode == -signal.SIGTERM
