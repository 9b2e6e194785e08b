"""STS GetCallerIdentity through the AWS CLI and boto3: the root user's key, a user's key, and
another region in the credential scope."""

import unittest

from support import (
    ACCOUNT_ID,
    ROOT_ARN,
    cli_json,
    client,
    record_authorization,
    user_arn,
    user_with_key,
)


class IdentityTest(unittest.TestCase):
    def test_cli_root(self):
        identity = cli_json("sts", "get-caller-identity")
        self.assertEqual(identity["Account"], ACCOUNT_ID)
        self.assertEqual(identity["Arn"], ROOT_ARN)
        self.assertEqual(identity["UserId"], ACCOUNT_ID)

    def test_boto3_root(self):
        response = client("sts").get_caller_identity()
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(
            {k: response[k] for k in ("Account", "Arn", "UserId")},
            {"Account": ACCOUNT_ID, "Arn": ROOT_ARN, "UserId": ACCOUNT_ID},
        )
        # Every AWS response carries a request id, in the body and the x-amzn-RequestId header.
        request_id = response["ResponseMetadata"].get("RequestId", "")
        self.assertTrue(request_id, response["ResponseMetadata"])
        headers = response["ResponseMetadata"]["HTTPHeaders"]
        self.assertEqual(headers.get("x-amzn-requestid"), request_id, headers)

    def test_user_key_cli_and_boto3(self):
        name, key = user_with_key("mary")
        for identity in (
            cli_json("sts", "get-caller-identity", key=key),
            client("sts", key=key).get_caller_identity(),
        ):
            self.assertEqual(identity["Account"], ACCOUNT_ID)
            self.assertEqual(identity["Arn"], user_arn(name))
            self.assertRegex(identity["UserId"], r"^AIDA[A-Z0-9]{12,}$")
        # The UserId is the user's: the same one IAM GetUser reports.
        user = client("iam").get_user(UserName=name)["User"]
        self.assertEqual(identity["UserId"], user["UserId"])

    def test_user_key_id_is_an_access_key_id(self):
        name, key = user_with_key("mary")
        self.assertRegex(key.access_key_id, r"^AKIA[A-Z0-9]{16}$")
        self.assertGreaterEqual(len(key.secret_access_key), 40)

    def test_other_region(self):
        sts = client("sts", region="eu-west-3")
        scopes = record_authorization(sts, "GetCallerIdentity")
        identity = sts.get_caller_identity()
        self.assertEqual(identity["Arn"], ROOT_ARN)
        # The request really was signed for eu-west-3.
        self.assertEqual(len(scopes), 1)
        self.assertRegex(scopes[0], r"Credential=[A-Z0-9]+/\d{8}/eu-west-3/sts/aws4_request")

        identity = cli_json("sts", "get-caller-identity", region="eu-west-3")
        self.assertEqual(identity["Arn"], ROOT_ARN)

    def test_other_region_iam(self):
        iam = client("iam", region="eu-west-3")
        scopes = record_authorization(iam, "GetUser")
        user = iam.get_user()["User"]
        self.assertEqual(user["Arn"], ROOT_ARN)
        self.assertEqual(len(scopes), 1)
        self.assertRegex(scopes[0], r"Credential=[A-Z0-9]+/\d{8}/eu-west-3/iam/aws4_request")
        user = cli_json("iam", "get-user", region="eu-west-3")["User"]
        self.assertEqual(user["Arn"], ROOT_ARN)


if __name__ == "__main__":
    unittest.main()
