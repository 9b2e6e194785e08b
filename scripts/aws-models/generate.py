#!/usr/bin/env python3
"""Trim botocore's IAM, STS and CloudTrail service models to what Portcullis serves.

Reads the pinned botocore's data/<service>/<version>/service-2.json(.gz) and writes
server/src/aws/models/<service>.json: the service metadata, the listed operations, every shape
they reach, and every error shape of the service (so any error code can be looked up). Struct
members become an ordered list because member order is the XML element order, and the Rust side
reads the file with a plain serde_json map that does not keep key order. Documentation is dropped.
Output is sorted and pretty so a regeneration diff shows only what AWS changed.
"""

import gzip
import json
import pathlib
import sys

import botocore

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "server" / "src" / "aws" / "models"

SERVICES = {
    "iam": (
        "2010-05-08",
        """CreatePolicy GetPolicy ListPolicies GetPolicyVersion ListPolicyVersions
        CreatePolicyVersion SetDefaultPolicyVersion DeletePolicyVersion DeletePolicy TagPolicy
        UntagPolicy ListPolicyTags ListEntitiesForPolicy CreateGroup GetGroup ListGroups
        UpdateGroup DeleteGroup AttachGroupPolicy DetachGroupPolicy ListAttachedGroupPolicies
        CreateUser GetUser ListUsers UpdateUser DeleteUser TagUser UntagUser ListUserTags
        AddUserToGroup RemoveUserFromGroup ListGroupsForUser AttachUserPolicy DetachUserPolicy
        ListAttachedUserPolicies CreateLoginProfile GetLoginProfile UpdateLoginProfile
        DeleteLoginProfile ChangePassword CreateAccessKey ListAccessKeys UpdateAccessKey
        DeleteAccessKey GetAccessKeyLastUsed GetAccountPasswordPolicy UpdateAccountPasswordPolicy
        GetAccountSummary GenerateServiceLastAccessedDetails GetServiceLastAccessedDetails
        SimulatePrincipalPolicy SimulateCustomPolicy ListUserPolicies ListGroupPolicies
        ListSSHPublicKeys ListMFADevices ListVirtualMFADevices ListSigningCertificates
        ListServiceSpecificCredentials""".split(),
    ),
    "sts": ("2011-06-15", ["GetCallerIdentity"]),
    "cloudtrail": ("2013-11-01", ["LookupEvents"]),
}

METADATA_KEYS = ["apiVersion", "protocol", "xmlNamespace", "targetPrefix", "jsonVersion"]
# Constraint and wire-format keys the codec reads; everything else (documentation, examples,
# deprecation notes, endpoint hints) is dropped.
SHAPE_KEYS = [
    "type",
    "required",
    "min",
    "max",
    "pattern",
    "enum",
    "sensitive",
    "timestampFormat",
    "flattened",
    "locationName",
    "xmlNamespace",
]
REF_KEYS = ["locationName", "xmlNamespace", "flattened", "timestampFormat"]


def load_model(service, version):
    base = pathlib.Path(botocore.__file__).parent / "data" / service / version
    plain = base / "service-2.json"
    if plain.exists():
        return json.loads(plain.read_text(encoding="utf-8"))
    with gzip.open(base / "service-2.json.gz", "rt", encoding="utf-8") as f:
        return json.load(f)


def ref(r):
    out = {"shape": r["shape"]}
    for k in REF_KEYS:
        if k in r:
            out[k] = r[k]
    return out


def trim_shape(shape):
    out = {k: shape[k] for k in SHAPE_KEYS if k in shape}
    if "members" in shape:
        out["members"] = [{"name": n, **ref(r)} for n, r in shape["members"].items()]
    for k in ("member", "key", "value"):
        if k in shape:
            out[k] = ref(shape[k])
    if shape.get("exception"):
        out["exception"] = True
    if "error" in shape:
        out["error"] = {
            k: shape["error"][k]
            for k in ("code", "httpStatusCode", "senderFault")
            if k in shape["error"]
        }
    return out


def referenced(shape):
    names = [m["shape"] for m in shape.get("members", {}).values()]
    names += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
    return names


def trim(service, version, wanted):
    model = load_model(service, version)
    missing = [op for op in wanted if op not in model["operations"]]
    if missing:
        sys.exit(f"{service}: operations not in botocore {botocore.__version__}: {missing}")
    operations = {}
    queue = []
    for name in sorted(wanted):
        op = model["operations"][name]
        out = {}
        if "input" in op:
            out["input"] = op["input"]["shape"]
            queue.append(out["input"])
        if "output" in op:
            out["output"] = op["output"]["shape"]
            queue.append(out["output"])
            if "resultWrapper" in op["output"]:
                out["resultWrapper"] = op["output"]["resultWrapper"]
        out["errors"] = [e["shape"] for e in op.get("errors", [])]
        queue.extend(out["errors"])
        operations[name] = out
    queue.extend(n for n, s in model["shapes"].items() if s.get("exception"))
    seen = set()
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        queue.extend(referenced(model["shapes"][name]))
    meta = model["metadata"]
    return {
        "source": f"botocore {botocore.__version__} data/{service}/{version}/service-2.json",
        "metadata": {k: meta[k] for k in METADATA_KEYS if k in meta},
        "operations": operations,
        "shapes": {n: trim_shape(model["shapes"][n]) for n in sorted(seen)},
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for service, (version, ops) in SERVICES.items():
        text = json.dumps(trim(service, version, ops), indent=2, ensure_ascii=False) + "\n"
        (OUT / f"{service}.json").write_text(text, encoding="utf-8")
        print(f"wrote {(OUT / f'{service}.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
