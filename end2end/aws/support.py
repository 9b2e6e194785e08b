"""Helpers for the suite that drives Portcullis's AWS Query API with the real AWS CLI and boto3.

scripts/aws-clients.sh sets the environment: PORTCULLIS_ENDPOINT (the server's base URL),
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (the root user's key), PORTCULLIS_BIN,
PORTCULLIS_DATABASE_URL and PORTCULLIS_MASTER_KEY_FILE (to mint user keys while the server runs).
"""

import datetime
import json
import os
import re
import subprocess
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parents[2]
ENDPOINT = os.environ["PORTCULLIS_ENDPOINT"].rstrip("/")
AWS_CLI = os.environ.get("PORTCULLIS_AWS_CLI", str(REPO / "tools" / "aws-venv" / "bin" / "aws"))
ACCOUNT_ID = "123456789012"
ROOT_ARN = f"arn:aws:iam::{ACCOUNT_ID}:root"
IAM_VERSION = "2010-05-08"
STS_VERSION = "2011-06-15"
FORM = "application/x-www-form-urlencoded; charset=utf-8"


@dataclass(frozen=True)
class Key:
    access_key_id: str
    secret_access_key: str


def root_key() -> Key:
    return Key(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])


def unique(prefix: str = "user") -> str:
    """A name no other test (nor an earlier run on the same database) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def user_arn(name: str, path: str = "/") -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:user{path}{name}"


def _client_env(key: Key | None, region: str | None) -> dict:
    env = dict(os.environ)
    for var in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_REGION"):
        env.pop(var, None)
    key = key or root_key()
    env.update(
        AWS_ACCESS_KEY_ID=key.access_key_id,
        AWS_SECRET_ACCESS_KEY=key.secret_access_key,
        AWS_DEFAULT_REGION=region or env.get("AWS_DEFAULT_REGION", "us-east-1"),
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_EC2_METADATA_DISABLED="true",
        # One attempt: a retried 5xx or throttle would hide what the server answered first.
        AWS_MAX_ATTEMPTS="1",
        AWS_RETRY_MODE="standard",
        AWS_PAGER="",
    )
    return env


def cli(*args: str, key: Key | None = None, region: str | None = None) -> tuple[int, str, str]:
    """Runs `aws --endpoint-url ENDPOINT --output json ARGS...`: (returncode, stdout, stderr)."""
    proc = subprocess.run(
        [AWS_CLI, "--endpoint-url", ENDPOINT, "--output", "json", *args],
        env=_client_env(key, region),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


def cli_json(*args: str, key: Key | None = None, region: str | None = None) -> dict:
    """Runs the CLI, which must succeed, and parses its JSON output."""
    code, out, err = cli(*args, key=key, region=region)
    if code != 0:
        raise AssertionError(f"aws {' '.join(args)} exited {code}\nstdout: {out}\nstderr: {err}")
    try:
        return json.loads(out) if out.strip() else {}
    except json.JSONDecodeError as exc:
        raise AssertionError(f"aws {' '.join(args)} printed no JSON: {out!r}") from exc


def cli_error_pattern(operation: str, code: str, message: str | None = None) -> str:
    """A regular expression for the line the AWS CLI prints on stderr for a service error (with
    AWS_MAX_ATTEMPTS=1 it adds "(reached max retries: 0)")."""
    line = rf"An error occurred \({re.escape(code)}\) when calling the {re.escape(operation)} operation"
    line += r"(?: \(reached max retries: \d+\))?: "
    if message is not None:
        line += re.escape(message) + "$"
    return "(?m)^" + line


def client(service: str, region: str = "us-east-1", key: Key | None = None):
    """A boto3 client for `iam` or `sts` on the server, signing with `key` (default: root)."""
    key = key or root_key()
    session = boto3.session.Session(
        aws_access_key_id=key.access_key_id,
        aws_secret_access_key=key.secret_access_key,
        region_name=region,
    )
    return session.client(
        service,
        endpoint_url=ENDPOINT,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=60),
    )


def record_authorization(boto_client, operation: str) -> list:
    """Collects the Authorization header of each `operation` request the boto3 client sends."""
    seen = []

    def hook(request, **_):
        value = request.headers.get("Authorization")
        seen.append(value.decode() if isinstance(value, bytes) else str(value))

    service = boto_client.meta.service_model.service_id.hyphenize()
    boto_client.meta.events.register(f"before-send.{service}.{operation}", hook)
    return seen


def mint_key(user_name: str | None = None) -> Key:
    """Creates an access key with `portcullis create-access-key [--user-name NAME]` on the running
    server's database (the root user's when no name is given)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=os.environ["PORTCULLIS_DATABASE_URL"],
        PORTCULLIS_MASTER_KEY_FILE=os.environ["PORTCULLIS_MASTER_KEY_FILE"],
        PORTCULLIS_ACCOUNT_ID=ACCOUNT_ID,
    )
    args = [os.environ["PORTCULLIS_BIN"], "create-access-key"]
    if user_name is not None:
        args += ["--user-name", user_name]
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
        )
    access_key = json.loads(proc.stdout)["AccessKey"]
    return Key(access_key["AccessKeyId"], access_key["SecretAccessKey"])


def user_with_key(prefix: str = "mary") -> tuple[str, Key]:
    """A new user (created through boto3 as root) and an access key of its own."""
    name = unique(prefix)
    client("iam").create_user(UserName=name)
    return name, mint_key(name)


def error_of(exc: ClientError) -> tuple[str, str, int]:
    """(code, message, HTTP status) of a boto3 ClientError."""
    response = exc.response
    return (
        response["Error"]["Code"],
        response["Error"].get("Message", ""),
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


# Requests signed by hand, for what the clients never send (old signatures, tampered bodies).


class _FixedTimeSigV4(SigV4Auth):
    """SigV4Auth with a given signing time instead of the clock."""

    def __init__(self, credentials, service, region, when: datetime.datetime):
        super().__init__(credentials, service, region)
        self._timestamp = when.strftime("%Y%m%dT%H%M%SZ")

    def _modify_request_before_signing(self, request):
        request.context["timestamp"] = self._timestamp
        super()._modify_request_before_signing(request)


def signed_request(
    body: str,
    service: str = "sts",
    region: str = "us-east-1",
    key: Key | None = None,
    when: datetime.datetime | None = None,
) -> AWSRequest:
    """A `POST /` with the form `body`, signed with Signature Version 4 as botocore does, at `when`
    (UTC; default now)."""
    key = key or root_key()
    request = AWSRequest(
        method="POST", url=ENDPOINT + "/", data=body.encode(), headers={"Content-Type": FORM}
    )
    when = when or datetime.datetime.now(datetime.timezone.utc)
    _FixedTimeSigV4(
        Credentials(key.access_key_id, key.secret_access_key), service, region, when
    ).add_auth(request)
    return request


@dataclass
class RawResponse:
    status: int
    headers: dict  # names in lower case
    body: str

    def xml(self) -> ET.Element:
        try:
            return ET.fromstring(self.body)
        except ET.ParseError as exc:
            raise AssertionError(f"not XML ({exc}): {self.body!r}") from exc

    def error(self) -> dict:
        """Type, Code and Message of an `<ErrorResponse><Error>...`, and its RequestId."""
        root = self.xml()
        if _local(root.tag) != "ErrorResponse":
            raise AssertionError(f"not an ErrorResponse: {self.body!r}")
        error = _child(root, "Error")
        if error is None:
            raise AssertionError(f"no Error element: {self.body!r}")
        fields = {name: _text(error, name) for name in ("Type", "Code", "Message")}
        fields["RequestId"] = _text(root, "RequestId")
        return fields


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str):
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: ET.Element, name: str):
    child = _child(element, name)
    return None if child is None else (child.text or "")


def find_text(element: ET.Element, name: str):
    """The text of the first descendant named `name`, whatever its namespace."""
    for child in element.iter():
        if _local(child.tag) == name:
            return child.text or ""
    return None


def send(method: str, body: bytes | str | None, headers: dict, url: str | None = None) -> RawResponse:
    """Sends a request with urllib and returns the response, error statuses included."""
    if isinstance(body, str):
        body = body.encode()
    request = urllib.request.Request(url or ENDPOINT + "/", data=body, method=method)
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return RawResponse(response.status, _lower(response.headers), response.read().decode())
    except urllib.error.HTTPError as exc:
        return RawResponse(exc.code, _lower(exc.headers), exc.read().decode())


def _lower(headers) -> dict:
    return {name.lower(): value for name, value in headers.items()}


def send_signed(request: AWSRequest, body: bytes | str | None = None) -> RawResponse:
    """Sends a signed AWSRequest, with `body` in place of the signed one when given."""
    headers = {name: value for name, value in request.headers.items()}
    return send(request.method, request.body if body is None else body, headers, url=request.url)
