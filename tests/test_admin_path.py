"""A lab admin follows the README to give the container its token: only the container's user can read it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"
CONTAINER_UID = 10001
NOBODY = 65534


def secret_steps() -> list[str]:
    """The README's shell lines that create the token file, in their order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Self-hosting with Docker", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    lines = [line.split("#", 1)[0].strip() if " # " in line else line.strip() for line in block.group(1).splitlines()]
    first = next(i for i, line in enumerate(lines) if line.startswith("mkdir -p secrets"))
    last = next(i for i, line in enumerate(lines) if "chown" in line)
    return lines[first : last + 1]


def as_user(uid: int, command: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "setpriv (util-linux) runs a step as another user"
    argv = [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "bash", "-c", command]
    return subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, text=True, check=False)


def test_the_readme_token_steps_leave_the_token_readable_by_the_container_user_alone(tmp_path: Path) -> None:
    steps = secret_steps()
    assert [s.split()[0] for s in steps] == ["mkdir", "(umask", "sudo"], steps
    assert steps[-1] == f"sudo chown {CONTAINER_UID}:{CONTAINER_UID} secrets/discord_token"
    assert not any("chmod" in s for s in steps[steps.index(steps[-1]) :]), "nothing after the chown needs the owner"
    user_steps, root_step = steps[:-1], steps[-1].removeprefix("sudo ")
    secret = tmp_path / "secrets" / "discord_token"
    if os.geteuid() == 0:
        # CI runs as root: the admin's own steps run as an unprivileged user, the sudo step as root.
        os.chown(tmp_path, NOBODY, NOBODY)
        tmp_path.chmod(0o755)  # a checkout, as git makes it
        done = as_user(NOBODY, " && ".join(user_steps), tmp_path, stdin=TOKEN + "\n")
    else:
        done = subprocess.run(["bash", "-c", " && ".join(user_steps)], cwd=tmp_path, input=TOKEN + "\n",
                              capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stdout + done.stderr, "the token is not echoed"
    assert secret.read_text(encoding="utf-8") == TOKEN + "\n"
    assert secret.stat().st_mode & 0o777 == 0o600, "readable by its owner only, from the moment it exists"
    if os.geteuid() != 0:
        return  # the chown needs root; its text was checked above
    subprocess.run(["bash", "-c", root_step], cwd=tmp_path, check=True)
    assert (secret.stat().st_uid, secret.stat().st_mode & 0o777) == (CONTAINER_UID, 0o600)
    container = as_user(CONTAINER_UID, "cat secrets/discord_token", tmp_path)
    assert container.stdout == TOKEN + "\n", container.stderr
    other = as_user(NOBODY, "cat secrets/discord_token", tmp_path)
    assert other.returncode != 0 and "Permission denied" in other.stderr
