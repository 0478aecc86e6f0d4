"""Building the sandbox images: from the Dockerfile when a registry answers, else offline.

One image per Python series, each the Debian release that ships it with Debian's own
``python3``: 3.13 from trixie (the default judge), 3.11 from bookworm. Both build paths give the
same root filesystem, labelled with the exact Python version so verdicts can say which Python
judged them. Tags carry the series and a revision (``pydojo-sandbox:3.13-1``), so a rebuilt
image never silently replaces another.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path

import docker
from docker.errors import BuildError, DockerException, ImageNotFound

PYTHONS = {"3.13": "trixie", "3.11": "bookworm"}  # Python series -> the Debian release with it
DEFAULT_PYTHON = "3.13"
REPOSITORY = "pydojo-sandbox"
REVISION = 1  # raise it when the image's contents change
VERSION_LABEL = "pydojo.python"
SUITE_LABEL = "pydojo.debian"
TRIM = [
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "var/cache/apt/archives",
    "var/lib/apt/lists",
]


class ImageBuildError(Exception):
    pass


def image_tag(python: str = DEFAULT_PYTHON, repository: str = REPOSITORY) -> str:
    return f"{repository}:{python}-{REVISION}"


def build_image(
    tag: str,
    *,
    python: str = DEFAULT_PYTHON,
    offline: bool = False,
    force: bool = False,
    say: Callable[[str], None] = print,
) -> str:
    """Build ``tag`` with Python ``python`` unless it exists; return the version it carries."""
    if python not in PYTHONS:
        raise ImageBuildError(
            f"no sandbox image for Python {python}; choose one of {', '.join(PYTHONS)}"
        )
    suite = PYTHONS[python]
    client = docker.from_env(timeout=600)
    if not force:
        try:
            image = client.images.get(tag)
            version = (image.labels or {}).get(VERSION_LABEL)
            if version:
                say(f"{tag} already exists (Python {version}); use --force to rebuild")
                return version
        except ImageNotFound:
            pass
    base_tag = f"{tag}-base"
    if not offline:
        try:
            say(f"building from runner/image/Dockerfile (debian:{suite}-slim) ...")
            with as_file(files("runner").joinpath("image")) as context:
                client.images.build(
                    path=str(context), tag=base_tag, rm=True, pull=False, buildargs={"SUITE": suite}
                )
        except (BuildError, DockerException) as exc:
            say(f"the Dockerfile build failed ({_first_line(exc)}); building offline instead")
            offline = True
    if offline:
        _build_offline(client, base_tag, suite, say)
    version = _python_version(client, base_tag)
    if not version.startswith(python + "."):
        raise ImageBuildError(f"debian {suite} gave Python {version}, not {python}")
    # Label on top of either base, so both paths end in the same shape of image.
    dockerfile = (
        f"FROM {base_tag}\nLABEL {VERSION_LABEL}={version} {SUITE_LABEL}={suite}\n"
        "USER 65534:65534\n"
    )
    client.images.build(fileobj=io.BytesIO(dockerfile.encode()), tag=tag, rm=True, pull=False)
    client.images.remove(base_tag, noprune=True)
    say(f"built {tag} with Python {version}")
    return version


def _build_offline(
    client: docker.DockerClient, tag: str, suite: str, say: Callable[[str], None]
) -> None:
    if shutil.which("debootstrap") is None:
        raise ImageBuildError("debootstrap is missing: `apt-get install -y debootstrap` (as root)")
    with tempfile.TemporaryDirectory(prefix="pydojo-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        say(f"debootstrap {suite} with python3 (a minute or two) ...")
        _check(["debootstrap", "--variant=minbase", "--include=python3", suite, str(rootfs)])
        for relative in TRIM:
            target = rootfs / relative
            if target.is_dir():
                shutil.rmtree(target)
                target.mkdir(parents=True)
        archive = Path(tmp) / "rootfs.tar"
        _check(["tar", "-C", str(rootfs), "-cf", str(archive), "."])
        say("importing the root filesystem into Docker ...")
        repository, _, version = tag.rpartition(":")
        client.api.import_image_from_file(
            str(archive),
            repository=repository,
            tag=version,
            changes=["ENV LANG=C.UTF-8", "WORKDIR /tmp", "USER 65534:65534"],
        )


def present() -> dict[str, str | None]:
    """For each Python series, the exact version of its image here, or None when missing."""
    client = docker.from_env(timeout=30)
    found: dict[str, str | None] = {}
    for python in PYTHONS:
        try:
            labels = client.images.get(image_tag(python)).labels or {}
            found[python] = labels.get(VERSION_LABEL)
        except ImageNotFound:
            found[python] = None
    return found


def _python_version(client: docker.DockerClient, tag: str) -> str:
    output = client.containers.run(
        tag,
        ["python3", "-c", "import platform; print(platform.python_version())"],
        remove=True,
        network_mode="none",
    )
    return output.decode().strip()


def _check(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).splitlines()[-15:])
        raise ImageBuildError(f"{command[0]} failed ({result.returncode}):\n{tail}")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
