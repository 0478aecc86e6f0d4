"""What untrusted code can and cannot do inside the sandbox (real containers)."""

from __future__ import annotations

import json

import pytest

from runner import Runner, RunStatus, Status

from .conftest import ADD

pytestmark = pytest.mark.docker


async def test_run_reports_stdout_stderr_and_exit_code(isolated: Runner) -> None:
    result = await isolated.run(
        "import sys\nname = input('name? ')\nprint('hi', name)\nprint('oops', file=sys.stderr)\n"
        "sys.exit(4)\n",
        stdin="Ada\n",
    )
    assert result.status is RunStatus.ERROR and result.exit_code == 4
    assert result.stdout == "name? hi Ada\n" and result.stderr == "oops\n"
    assert not result.truncated


async def test_run_traceback_is_trimmed_to_the_program(isolated: Runner) -> None:
    result = await isolated.run("def f():\n    1 / 0\n\nf()\n")
    assert result.status is RunStatus.ERROR and result.exit_code == 1
    assert 'File "main.py", line 4, in <module>' in result.stderr
    assert "ZeroDivisionError: division by zero" in result.stderr
    assert "harness" not in result.stderr


async def test_runs_as_nobody_without_capabilities_or_host_environment(isolated: Runner) -> None:
    source = (
        "import os, json\n"
        "status = dict(line.split(':\\t', 1) for line in open('/proc/self/status').read().splitlines()"
        " if ':\\t' in line)\n"
        "print(json.dumps({'uid': os.getuid(), 'gid': os.getgid(), 'env': dict(os.environ),"
        " 'cap': status['CapEff'].strip(), 'nnp': status.get('NoNewPrivs', '1').strip()}))\n"
    )
    result = await isolated.run(source)
    assert result.status is RunStatus.OK, result.stderr
    facts = json.loads(result.stdout)
    assert (facts["uid"], facts["gid"]) == (65534, 65534)
    # (gVisor's /proc does not show NoNewPrivs; runc's does)
    assert facts["cap"] == "0000000000000000" and facts["nnp"] == "1"
    assert set(facts["env"]) <= {"PATH", "HOSTNAME", "LANG", "HOME"}


async def test_network_is_unavailable_even_loopback(isolated: Runner) -> None:
    source = (
        "import socket\n"
        "for family, address in ((socket.AF_INET, ('1.1.1.1', 53)), (socket.AF_INET, ('127.0.0.1', 80)),"
        " (socket.AF_INET6, ('::1', 80))):\n"
        "    try:\n"
        "        s = socket.socket(family, socket.SOCK_STREAM)\n"
        "        s.settimeout(1)\n"
        "        s.connect(address)\n"
        "        print('connected', address)\n"
        "    except OSError as exc:\n"
        "        print('blocked', type(exc).__name__)\n"
    )
    result = await isolated.run(source)
    assert result.status is RunStatus.OK, result.stderr
    assert "connected" not in result.stdout
    assert result.stdout.count("blocked PermissionError") == 3


async def test_root_filesystem_is_read_only_and_tmp_is_noexec(isolated: Runner) -> None:
    source = (
        "import os, subprocess\n"
        "for path in ('/etc/evil', '/usr/bin/evil', '/evil'):\n"
        "    try:\n"
        "        open(path, 'w').write('x')\n"
        "        print('wrote', path)\n"
        "    except OSError as exc:\n"
        "        print('refused', path, exc.errno)\n"
        "open('/tmp/ok.txt', 'w').write('fine')\n"
        "print('tmp', open('/tmp/ok.txt').read())\n"
        "open('/tmp/run.sh', 'w').write('#!/bin/sh\\necho ran\\n')\n"
        "os.chmod('/tmp/run.sh', 0o755)\n"
        "try:\n"
        "    subprocess.run(['/tmp/run.sh'])\n"
        "    print('executed')\n"
        "except PermissionError:\n"
        "    print('noexec')\n"
    )
    result = await isolated.run(source)
    assert result.status is RunStatus.OK, result.stderr
    assert "wrote" not in result.stdout and result.stdout.count("refused") == 3
    assert "tmp fine" in result.stdout and "noexec" in result.stdout


async def test_files_do_not_survive_into_the_next_submission(isolated: Runner) -> None:
    first = await isolated.run("open('/tmp/secret', 'w').write('left behind')\nprint('written')\n")
    assert first.stdout == "written\n"
    second = await isolated.run("import os\nprint(os.path.exists('/tmp/secret'))\n")
    assert second.stdout == "False\n"


async def test_fork_bomb_is_contained_and_the_next_submission_is_fine(isolated: Runner) -> None:
    source = (
        "import os\n"
        "def add(a, b):\n"
        "    while True:\n"
        "        try:\n"
        "            os.fork()\n"
        "        except OSError:\n"
        "            pass\n"
    )
    verdict = await isolated.judge(source, ADD)
    contained = (Status.TIME_LIMIT, Status.RUNTIME_ERROR, Status.MEMORY_LIMIT)
    assert verdict.status in contained, verdict.summary
    after = await isolated.judge("def add(a, b):\n    return a + b\n", ADD)
    assert after.status is Status.ACCEPTED


async def test_process_count_is_capped(isolated: Runner) -> None:
    source = (
        "import threading, time\n"
        "started = 0\n"
        "try:\n"
        "    for _ in range(500):\n"
        "        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n"
        "        started += 1\n"
        "except RuntimeError:\n"
        "    pass\n"
        "print(started)\n"
    )
    result = await isolated.run(source)
    assert int(result.stdout) < isolated.limits.pids


async def test_disk_fill_is_capped_by_tmpfs(isolated: Runner) -> None:
    source = (
        "written = 0\n"
        "try:\n"
        "    with open('/tmp/big', 'wb') as f:\n"
        "        while True:\n"
        "            f.write(b'0' * 2**20)\n"
        "            written += 1\n"
        "except OSError as exc:\n"
        "    print('stopped', exc.errno, written)\n"
    )
    result = await isolated.run(source)
    assert result.stdout.startswith("stopped 28"), result.stdout  # ENOSPC
    assert int(result.stdout.split()[-1]) <= isolated.limits.tmpfs_mib


async def test_run_output_flood_is_capped_and_marked_truncated(isolated: Runner) -> None:
    result = await isolated.run("while True:\n    print('z' * 4096)\n")
    assert result.status is RunStatus.OUTPUT_LIMIT and result.truncated
    assert len(result.stdout) <= isolated.limits.output_bytes


async def test_run_timeout_and_memory(isolated: Runner) -> None:
    slow = await isolated.run("import time\ntime.sleep(60)\n")
    assert slow.status is RunStatus.TIMEOUT
    hog = await isolated.run("x = bytearray(2**29)\n")
    assert hog.status in (RunStatus.MEMORY, RunStatus.ERROR)
    if hog.status is RunStatus.ERROR:  # CPython may raise MemoryError before the OOM killer
        assert "MemoryError" in hog.stderr
