# The two commands of the quickstart: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SERVICES := auth catalog orders payments notifications
REQUIREMENTS := pyproject.toml requirements-dev.txt services/chassis/pyproject.toml \
                services/chassis/testing/pyproject.toml \
                $(foreach s,$(SERVICES),services/$(s)/requirements.txt)

.PHONY: prerequisites install docker offline-images test demo down clean

# The stand-in images' settings, when scripts/docker-ready.sh had to build them.
OFFLINE_IMAGES := set -a; [ ! -f .ecomlab/offline-images.env ] || . ./.ecomlab/offline-images.env; set +a;

prerequisites:
	scripts/install-prerequisites.sh

$(VENV)/.installed: $(REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e services/chassis -e services/chassis/testing -e . -r requirements-dev.txt \
		$(foreach s,$(SERVICES),-r services/$(s)/requirements.txt)
	touch $@

install: prerequisites $(VENV)/.installed

## A Docker engine and the images the docker runtime needs (installed and started in CI).
docker:
	scripts/docker-ready.sh $(if $(filter true,$(CI)),--install)

## Local stand-ins for the official images, for machines that reach no registry.
offline-images:
	scripts/offline-images.sh

## Every test: the chassis, each service, the gateway, the CLI and the end-to-end suites
## of both runtimes.
test: install docker
	$(OFFLINE_IMAGES) $(BIN)/python scripts/run_tests.py

## Bring the stack up, seed it, place an order, then run a failure scenario: payments is
## killed, the order waits for it, and is confirmed once payments is started again.
## It runs on Docker when an engine answers, on local processes otherwise.
demo: install docker
	$(OFFLINE_IMAGES) $(BIN)/ecomctl up
	$(BIN)/ecomctl seed
	$(BIN)/ecomctl order place --wait
	$(BIN)/ecomctl scenario run payments-outage

down: install
	$(OFFLINE_IMAGES) $(BIN)/ecomctl down

clean:
	rm -rf $(VENV)
