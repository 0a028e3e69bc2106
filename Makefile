# The two commands of the quickstart: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SERVICES := auth catalog orders payments notifications
REQUIREMENTS := pyproject.toml requirements-dev.txt services/chassis/pyproject.toml \
                $(foreach s,$(SERVICES),services/$(s)/requirements.txt)

.PHONY: prerequisites install test demo down clean

prerequisites:
	scripts/install-prerequisites.sh

$(VENV)/.installed: $(REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e services/chassis -e . -r requirements-dev.txt \
		$(foreach s,$(SERVICES),-r services/$(s)/requirements.txt)
	touch $@

install: prerequisites $(VENV)/.installed

## Every test: the chassis, each service, the gateway, the CLI and the end-to-end suites.
test: install
	$(BIN)/python scripts/run_tests.py

## Bring the stack up, seed it, place an order, then run a failure scenario: payments is
## killed, the order waits for it, and is confirmed once payments is started again.
demo: install
	$(BIN)/ecomctl up
	$(BIN)/ecomctl seed
	$(BIN)/ecomctl order place --wait
	$(BIN)/ecomctl scenario run payments-outage

down: install
	$(BIN)/ecomctl down

clean:
	rm -rf $(VENV)
