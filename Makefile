# Two set-up commands: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test lint bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch==2.13.0 first: it is the local CPU build; any other torch request pulls CUDA wheels.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/article-bot start

test: $(VENV)/.installed-dev
	$(BIN)/ruff check bot embeddings tests benchmarks
	$(BIN)/pyright
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

eval: $(VENV)/.installed
	$(BIN)/article-bot eval squad ../shared/data/squad-dev-v1.1-part-a.json
	$(BIN)/article-bot eval summaries ../shared/data/cnndm-test-part-a.jsonl

clean:
	rm -rf $(VENV) .cache .pytest_cache .ruff_cache
