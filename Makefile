# The two commands of the README. Both set up whatever is missing first (scripts/setup.sh).
.PHONY: setup run try test lint bench

setup:
	@scripts/setup.sh

run: setup
	.venv/bin/pydojo bot

# The product without Discord: the same practice loop in this terminal.
try: setup
	.venv/bin/pydojo practice

test:
	@scripts/setup.sh --test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/pytest -ra
	.venv/bin/pydojo curriculum check

bench: setup
	.venv/bin/python bench/runner_bench.py
	.venv/bin/python bench/curriculum_bench.py
	.venv/bin/python bench/store_bench.py
	.venv/bin/python bench/discord_bench.py
	.venv/bin/python bench/queue_bench.py
	.venv/bin/python bench/cards_bench.py
