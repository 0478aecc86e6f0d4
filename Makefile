# The two commands of the README. Both set up whatever is missing first (scripts/setup.sh).
.PHONY: setup run test lint bench

setup:
	@scripts/setup.sh

run: setup
	.venv/bin/pydojo bot

test: setup
	.venv/bin/ruff check .
	.venv/bin/pytest -ra

bench: setup
	.venv/bin/python bench/runner_bench.py
