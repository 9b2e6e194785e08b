#!/usr/bin/env python3
"""Regenerates botocore.json: IAM and STS Query requests signed by botocore's SigV4Auth.

    python3 -m venv /tmp/sigv4-venv && /tmp/sigv4-venv/bin/pip install botocore==1.44.5
    /tmp/sigv4-venv/bin/python iam/src/sigv4/testdata/gen_botocore.py > iam/src/sigv4/testdata/botocore.json

Each fixture is the request as the server would receive it (raw path, raw query, headers in
the order sent, including the Host and User-Agent that botocore does not put in its request
object but the wire carries), the key pair, the server's `now` and the expected outcome.
The clock is frozen, so the output is reproducible.
"""

import datetime
import json
import sys
from urllib.parse import urlencode, urlsplit

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence

AKID = "AKIAPORTCULLISTEST01"
SECRET = "pOrTcUlLiS/Secret+Key0123456789abcdefghij"
WHEN = datetime.datetime(2026, 12, 8, 9, 30, 15, tzinfo=datetime.timezone.utc)
NOW = int(WHEN.timestamp())
FORM = "application/x-www-form-urlencoded; charset=utf-8"

botocore.auth.get_current_datetime = lambda *args, **kwargs: WHEN


def sign(name, service, region, method, url, params=None, query=None, secret=SECRET,
         expect="ok", now_offset=0):
    headers = {"User-Agent": f"Botocore/{botocore.__version__} portcullis-fixture"}
    data = None
    if params is not None:
        headers["Content-Type"] = FORM
        data = urlencode(params)
    if query is not None:
        # botocore builds query strings with percent_encode_sequence (space as %20).
        url = url + "?" + percent_encode_sequence(query)
    request = AWSRequest(method=method, url=url, data=data, headers=headers)
    botocore.auth.SigV4Auth(Credentials(AKID, secret), service, region).add_auth(request)
    prepared = request.prepare()
    parts = urlsplit(prepared.url)
    # The wire carries Host first (urllib3 adds it); botocore signs the same value.
    wire = [["Host", parts.netloc]] + [[k, v] for k, v in prepared.headers.items()]
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    return {
        "name": name,
        "access_key_id": AKID,
        "secret": SECRET,
        "method": method,
        "path": parts.path or "/",
        "query": parts.query,
        "headers": wire,
        "body": body.decode(),
        "now": NOW + now_offset,
        "expect": expect,
    }


def main():
    iam = "https://iam.amazonaws.com/"
    local = "http://127.0.0.1:9000/"
    v = {"Version": "2010-05-08"}
    sts = {"Version": "2011-06-15"}
    fixtures = [
        sign("iam ListUsers us-east-1", "iam", "us-east-1", "POST", iam,
             {"Action": "ListUsers", **v}),
        sign("iam CreateUser with path and tags", "iam", "us-east-1", "POST", iam,
             {"Action": "CreateUser", "UserName": "alice+ops@example.com", "Path": "/team a/",
              "Tags.member.1.Key": "cost centre", "Tags.member.1.Value": "Zürich ~ 42%", **v}),
        sign("iam ListUsers eu-west-3 on a local port", "iam", "eu-west-3", "POST", local,
             {"Action": "ListUsers", "MaxItems": "5", **v}),
        sign("iam GetUser by GET query", "iam", "us-east-1", "GET", iam,
             query={"Action": "GetUser", "UserName": "bob smith", **v}),
        sign("sts GetCallerIdentity eu-west-3", "sts", "eu-west-3", "POST",
             "https://sts.eu-west-3.amazonaws.com/", {"Action": "GetCallerIdentity", **sts}),
        sign("sts GetCallerIdentity us-east-1", "sts", "us-east-1", "POST",
             "https://sts.amazonaws.com/", {"Action": "GetCallerIdentity", **sts}),
        sign("iam signed 14 minutes ago", "iam", "us-east-1", "POST", iam,
             {"Action": "ListUsers", **v}, now_offset=14 * 60),
        sign("iam signed with another secret", "iam", "us-east-1", "POST", iam,
             {"Action": "ListUsers", **v}, secret="not-the-stored-secret",
             expect="SignatureDoesNotMatch"),
        sign("iam signed 16 minutes ago", "iam", "us-east-1", "POST", iam,
             {"Action": "ListUsers", **v}, expect="SignatureDoesNotMatch", now_offset=16 * 60),
    ]
    json.dump({"generator": f"botocore {botocore.__version__} SigV4Auth",
               "fixtures": fixtures}, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
