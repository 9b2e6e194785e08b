# The AWS Query API driven by the real AWS CLI and boto3 (end2end/aws, Python unittest) against a
# server on SQLite and one on a throw-away PostgreSQL database; builds the server binary unless
# PORTCULLIS_BIN names one, and installs the pinned clients (tools/aws-clients/requirements.txt)
# into tools/aws-venv when missing or changed.
.PHONY: aws-clients
aws-clients:
	scripts/ensure-tools.sh aws-clients
	scripts/with-postgres.sh scripts/aws-clients.sh
