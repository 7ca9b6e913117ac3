# The two commands: `make run` and `make test`. Everything else is a convenience.
.PHONY: run test lint bench soak services services-down imap-servers imap-servers-down migrate frontend clean

run:            ## install what is missing, then run web UI + API + workers + beat + flower
	bash scripts/run.sh

test:           ## the whole suite (lint, types, unit, API, IMAP, jobs, browser)
	bash scripts/test.sh $(ARGS)

lint:
	.venv/bin/ruff check app workers cli testbed tests migrations scripts && .venv/bin/ruff format --check app workers cli testbed tests migrations scripts && .venv/bin/mypy

bench:          ## engine and scheduler benchmarks on loopback (prints tables)
	bash scripts/bench.sh

soak:           ## the heavier fault/load suite (prints a table)
	bash scripts/soak.sh

services:       ## local PostgreSQL + Redis under .data/
	bash scripts/services.sh up

services-down:
	bash scripts/services.sh down

imap-servers:   ## the two Dovecot test servers on 127.0.0.1
	bash scripts/imap-servers.sh start

imap-servers-down:
	bash scripts/imap-servers.sh stop

migrate:
	.venv/bin/python -m app.manage migrate

frontend:
	cd frontend && npm ci && npm run build

clean:          ## stop local services and delete local data (.data/)
	-bash scripts/imap-servers.sh stop
	-bash scripts/services.sh down
	rm -rf .data
