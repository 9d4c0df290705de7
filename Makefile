# Shortcuts for the scripts the README documents.
.PHONY: up test down

up:
	scripts/up.sh

test:
	scripts/test.sh

down:
	scripts/down.sh
