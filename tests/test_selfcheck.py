"""`python -m nnlib.selfcheck`, the teacher's before-class check."""

import os
import subprocess
import sys

from nnlib.checks import all_exercises


def run(env=None):
    return subprocess.run([sys.executable, "-m", "nnlib.selfcheck"], capture_output=True, text=True,
                          timeout=300, env=dict(os.environ, MPLBACKEND="Agg", **(env or {})))


def test_selfcheck_passes_on_a_working_install():
    result = run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(all_exercises())} exercise checkers answer 'not attempted yet'" in result.stdout
    assert "SHA-256 verified" in result.stdout
    assert "ready for class" in result.stdout


def test_selfcheck_reports_missing_data_and_exits_1(tmp_path):
    result = run({"NNLIB_MNIST_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "FAIL  MNIST data" in result.stdout and "git checkout -- data/mnist/" in result.stdout
    assert "ok    packages" in result.stdout, "the other checks still run"
