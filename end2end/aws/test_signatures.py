"""Signature Version 4 checks and the errors of the Query API: bad keys and signatures from boto3
and the CLI, and requests built by hand (unsigned, malformed, tampered, old) sent with urllib."""

import datetime
import secrets
import string
import unittest

from botocore.exceptions import ClientError

from support import (
    FORM,
    IAM_VERSION,
    ROOT_ARN,
    STS_VERSION,
    Key,
    cli,
    cli_error_pattern,
    client,
    error_of,
    find_text,
    root_key,
    send,
    send_signed,
    signed_request,
    unique,
)

SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you provided."
CALLER_IDENTITY = f"Action=GetCallerIdentity&Version={STS_VERSION}"


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def amz_date(when: datetime.datetime) -> str:
    return when.strftime("%Y%m%dT%H%M%SZ")


def unknown_key() -> Key:
    alphabet = string.ascii_uppercase + "234567"
    return Key("AKIA" + "".join(secrets.choice(alphabet) for _ in range(16)), secrets.token_urlsafe(30))


class SignaturesTest(unittest.TestCase):
    def assertClientError(self, call, code, status):
        with self.assertRaises(ClientError) as caught:
            call()
        got_code, message, got_status = error_of(caught.exception)
        self.assertEqual((got_code, got_status), (code, status), caught.exception.response)
        return message

    def assertXmlError(self, response, status, code, type_="Sender"):
        """An AWS Query error: the status, and <ErrorResponse><Error><Type/><Code/><Message/>
        </Error><RequestId/></ErrorResponse>."""
        self.assertEqual(response.status, status, response.body)
        self.assertIn("xml", response.headers.get("content-type", ""), response.headers)
        error = response.error()
        self.assertEqual(error["Code"], code, response.body)
        self.assertEqual(error["Type"], type_, response.body)
        self.assertTrue(error["Message"], response.body)
        self.assertTrue(error["RequestId"], response.body)
        return error

    # Through the clients

    def test_wrong_secret(self):
        key = Key(root_key().access_key_id, secrets.token_urlsafe(30))
        message = self.assertClientError(
            lambda: client("sts", key=key).get_caller_identity(), "SignatureDoesNotMatch", 403
        )
        self.assertTrue(message.startswith(SIGNATURE_MISMATCH), message)
        self.assertClientError(lambda: client("iam", key=key).list_users(), "SignatureDoesNotMatch", 403)
        rc, out, err = cli("sts", "get-caller-identity", key=key)
        self.assertEqual(rc, 255, out + err)
        self.assertRegex(err, cli_error_pattern("GetCallerIdentity", "SignatureDoesNotMatch"))

    def test_unknown_key_id(self):
        key = unknown_key()
        message = self.assertClientError(
            lambda: client("sts", key=key).get_caller_identity(), "InvalidClientTokenId", 403
        )
        self.assertEqual(message, "The security token included in the request is invalid.")
        self.assertClientError(lambda: client("iam", key=key).get_user(), "InvalidClientTokenId", 403)
        rc, out, err = cli("iam", "list-users", key=key)
        self.assertEqual(rc, 255, out + err)
        self.assertRegex(err, cli_error_pattern("ListUsers", "InvalidClientTokenId"))

    # By hand

    def test_hand_signed_request_is_accepted(self):
        # The signer the tests below build on: untouched, its requests pass.
        response = send_signed(signed_request(CALLER_IDENTITY))
        self.assertEqual(response.status, 200, response.body)
        self.assertEqual(find_text(response.xml(), "Arn"), ROOT_ARN)
        # Signed two minutes ago: within AWS's allowance for clock skew.
        response = send_signed(signed_request(CALLER_IDENTITY, when=now() - datetime.timedelta(minutes=2)))
        self.assertEqual(response.status, 200, response.body)

    def test_unsigned_post(self):
        for body in (CALLER_IDENTITY, f"Action=ListUsers&Version={IAM_VERSION}"):
            response = send("POST", body, {"Content-Type": FORM})
            self.assertXmlError(response, 403, "MissingAuthenticationToken")

    def test_malformed_authorization(self):
        response = send(
            "POST",
            CALLER_IDENTITY,
            {
                "Content-Type": FORM,
                "X-Amz-Date": amz_date(now()),
                "Authorization": "AWS4-HMAC-SHA256 Credential=x",
            },
        )
        self.assertXmlError(response, 400, "IncompleteSignature")

    def test_tampered_body(self):
        name, other = unique("aaaa"), unique("bbbb")
        self.assertEqual(len(name), len(other))
        request = signed_request(
            f"Action=GetUser&UserName={name}&Version={IAM_VERSION}", service="iam"
        )
        # As signed, it passes the signature check (and finds no such user).
        untouched = send_signed(request)
        self.assertXmlError(untouched, 404, "NoSuchEntity")
        tampered = send_signed(request, body=f"Action=GetUser&UserName={other}&Version={IAM_VERSION}")
        error = self.assertXmlError(tampered, 403, "SignatureDoesNotMatch")
        self.assertTrue(error["Message"].startswith(SIGNATURE_MISMATCH), error)

    def test_signed_20_minutes_ago(self):
        when = now() - datetime.timedelta(minutes=20)
        response = send_signed(signed_request(CALLER_IDENTITY, when=when))
        error = self.assertXmlError(response, 403, "SignatureDoesNotMatch")
        self.assertTrue(
            error["Message"].startswith(f"Signature expired: {amz_date(when)} is now earlier than "),
            error["Message"],
        )

    def test_signed_20_minutes_ahead(self):
        # Not in the server's list yet, but the same check as above: AWS refuses a signature dated
        # more than 15 minutes ahead ("Signature not yet current"), so it cannot be replayed later.
        when = now() + datetime.timedelta(minutes=20)
        response = send_signed(signed_request(CALLER_IDENTITY, when=when))
        error = self.assertXmlError(response, 403, "SignatureDoesNotMatch")
        self.assertTrue(
            error["Message"].startswith(f"Signature not yet current: {amz_date(when)}"), error["Message"]
        )

    def test_bogus_action(self):
        for service, version in (("iam", IAM_VERSION), ("sts", STS_VERSION)):
            response = send_signed(
                signed_request(f"Action=NoSuchThing&Version={version}", service=service)
            )
            self.assertXmlError(response, 400, "InvalidAction")

    def test_operation_not_implemented(self):
        # ListMFADevices is a real IAM operation the server does not implement yet.
        self.assertClientError(lambda: client("iam").list_mfa_devices(), "InvalidAction", 400)
        rc, out, err = cli("iam", "list-mfa-devices")
        self.assertEqual(rc, 255, out + err)
        self.assertRegex(err, cli_error_pattern("ListMFADevices", "InvalidAction"))


if __name__ == "__main__":
    unittest.main()


class ScopeAndTokensTest(unittest.TestCase):
    """Requests that sign correctly but for something Portcullis is not."""

    def assertXmlError(self, response, status, code):
        self.assertEqual(response.status, status, response.body)
        self.assertEqual(response.error()["Code"], code, response.body)
        return response.error()

    def test_no_allow_header_on_answers(self):
        # The console owns GET /; the API's answers to POST / must not carry its method list.
        response = send_signed(signed_request(CALLER_IDENTITY))
        self.assertEqual(response.status, 200, response.body)
        self.assertNotIn("allow", response.headers)

    def test_a_scope_for_another_service_is_refused(self):
        response = send_signed(signed_request(CALLER_IDENTITY, service="s3"))
        error = self.assertXmlError(response, 403, "SignatureDoesNotMatch")
        self.assertEqual(error["Message"], "Credential should be scoped to correct service: 'iam'.")

    def test_a_session_token_is_refused(self):
        # Portcullis issues no temporary credentials, so no token can be valid.
        request = signed_request(CALLER_IDENTITY)
        request.headers["X-Amz-Security-Token"] = "bogus"
        error = self.assertXmlError(send_signed(request), 403, "InvalidClientTokenId")
        self.assertEqual(error["Message"], "The security token included in the request is invalid.")
