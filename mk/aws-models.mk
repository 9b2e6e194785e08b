# Regenerate the trimmed AWS service models embedded in the server (scripts/aws-models/generate.py;
# botocore pinned in scripts/aws-models/requirements.txt). Needs python3 and PyPI; the generated
# files are committed, so builds and CI do not.
AWS_MODELS_VENV ?= /tmp/aws-models-venv

.PHONY: aws-models aws-models-check
aws-models:
	test -x $(AWS_MODELS_VENV)/bin/python || python3 -m venv $(AWS_MODELS_VENV)
	$(AWS_MODELS_VENV)/bin/pip install --quiet -r scripts/aws-models/requirements.txt
	$(AWS_MODELS_VENV)/bin/python scripts/aws-models/generate.py

## Fails when the committed server/src/aws/models differs from what the pinned botocore generates.
aws-models-check: aws-models
	git diff --exit-code -- server/src/aws/models
