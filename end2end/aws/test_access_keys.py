"""Access keys through the API: a user's key made by the CLI works at once, is listed, stops
working when deactivated or deleted, and the quota of two is IAM's."""

import unittest

from botocore.exceptions import ClientError

from support import Key, cli_json, client, error_of, unique


class AccessKeysTest(unittest.TestCase):
    def test_a_key_made_through_the_api_signs_requests(self):
        name = unique("keys")
        client("iam").create_user(UserName=name)
        made = cli_json("iam", "create-access-key", "--user-name", name)["AccessKey"]
        self.assertEqual(made["UserName"], name)
        self.assertEqual(made["Status"], "Active")
        self.assertTrue(made["AccessKeyId"].startswith("AKIA"), made)
        self.assertEqual(len(made["SecretAccessKey"]), 40)
        key = Key(made["AccessKeyId"], made["SecretAccessKey"])
        identity = client("sts", key=key).get_caller_identity()
        self.assertTrue(identity["Arn"].endswith(f":user/{name}"), identity)

        listed = client("iam").list_access_keys(UserName=name)["AccessKeyMetadata"]
        self.assertEqual(
            [(k["AccessKeyId"], k["Status"], k["UserName"]) for k in listed],
            [(key.access_key_id, "Active", name)],
        )
        self.assertNotIn("SecretAccessKey", listed[0])

    def test_deactivated_then_deleted_keys_stop_working_at_once(self):
        name = unique("keys")
        iam = client("iam")
        iam.create_user(UserName=name)
        made = iam.create_access_key(UserName=name)["AccessKey"]
        key = Key(made["AccessKeyId"], made["SecretAccessKey"])
        client("sts", key=key).get_caller_identity()

        iam.update_access_key(UserName=name, AccessKeyId=key.access_key_id, Status="Inactive")
        with self.assertRaises(ClientError) as caught:
            client("sts", key=key).get_caller_identity()
        self.assertEqual(error_of(caught.exception)[::2], ("InvalidClientTokenId", 403))
        self.assertEqual(
            iam.list_access_keys(UserName=name)["AccessKeyMetadata"][0]["Status"], "Inactive"
        )

        iam.update_access_key(UserName=name, AccessKeyId=key.access_key_id, Status="Active")
        client("sts", key=key).get_caller_identity()
        iam.delete_access_key(UserName=name, AccessKeyId=key.access_key_id)
        with self.assertRaises(ClientError) as caught:
            client("sts", key=key).get_caller_identity()
        self.assertEqual(error_of(caught.exception)[::2], ("InvalidClientTokenId", 403))
        self.assertEqual(iam.list_access_keys(UserName=name)["AccessKeyMetadata"], [])
        # With the key gone, the user can be deleted.
        iam.delete_user(UserName=name)

    def test_a_third_key_exceeds_iams_quota(self):
        name = unique("keys")
        iam = client("iam")
        iam.create_user(UserName=name)
        iam.create_access_key(UserName=name)
        iam.create_access_key(UserName=name)
        with self.assertRaises(ClientError) as caught:
            iam.create_access_key(UserName=name)
        self.assertEqual(
            error_of(caught.exception),
            ("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409),
        )

    def test_a_user_manages_its_own_keys_only_with_permission(self):
        # Without UserName the caller's own keys are meant; a user with no policy may not.
        name = unique("keys")
        iam = client("iam")
        iam.create_user(UserName=name)
        made = iam.create_access_key(UserName=name)["AccessKey"]
        key = Key(made["AccessKeyId"], made["SecretAccessKey"])
        with self.assertRaises(ClientError) as caught:
            client("iam", key=key).list_access_keys()
        code, message, status = error_of(caught.exception)
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertEqual(
            message,
            f"User: arn:aws:iam::123456789012:user/{name} is not authorized to perform: "
            f"iam:ListAccessKeys on resource: arn:aws:iam::123456789012:user/{name}",
        )
