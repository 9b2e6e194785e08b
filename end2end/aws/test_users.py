"""IAM CreateUser, GetUser, ListUsers and DeleteUser through the AWS CLI and boto3, and the errors
AWS answers them with."""

import datetime
import random
import unittest
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from support import (
    ACCOUNT_ID,
    ROOT_ARN,
    cli,
    cli_error_pattern,
    cli_json,
    client,
    error_of,
    unique,
    user_arn,
    user_with_key,
)

USER_ID = r"^AIDA[A-Z0-9]{12,}$"


def parse_time(value) -> datetime.datetime:
    """A CLI timestamp (ISO 8601 text) or a boto3 one (datetime), as an aware datetime."""
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


class UsersTest(unittest.TestCase):
    def assertRecent(self, value):
        when = parse_time(value)
        self.assertIsNotNone(when.tzinfo, value)
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - when).total_seconds()), 600, f"{value} is not now ({now})")

    def assertClientError(self, call, code, status, message=None):
        with self.assertRaises(ClientError) as caught:
            call()
        got_code, got_message, got_status = error_of(caught.exception)
        self.assertEqual((got_code, got_status), (code, status), caught.exception.response)
        if message is not None:
            self.assertEqual(got_message, message)
        return got_message

    def assertCliError(self, args, operation, code, message, key=None):
        rc, out, err = cli(*args, key=key)
        # AWS CLI v1 exits 255 on a service error (v2: 254).
        self.assertEqual(rc, 255, f"stdout: {out}\nstderr: {err}")
        self.assertEqual(out, "")
        self.assertRegex(err, cli_error_pattern(operation, code, message))

    # CreateUser and GetUser

    def test_create_user_cli(self):
        name = unique()
        user = cli_json("iam", "create-user", "--user-name", name)["User"]
        self.assertEqual(user["UserName"], name)
        self.assertRegex(user["UserId"], USER_ID)
        self.assertEqual(user["Arn"], user_arn(name))
        self.assertEqual(user["Path"], "/")
        self.assertRecent(user["CreateDate"])
        self.assertNotIn("Tags", user)

    def test_get_user_cli_and_boto3(self):
        name = unique()
        created = cli_json("iam", "create-user", "--user-name", name)["User"]
        got = cli_json("iam", "get-user", "--user-name", name)["User"]
        for field in ("UserName", "UserId", "Arn", "Path", "CreateDate"):
            self.assertEqual(got[field], created[field], field)
        got = client("iam").get_user(UserName=name)["User"]
        self.assertEqual(got["UserId"], created["UserId"])
        self.assertEqual(got["Arn"], user_arn(name))
        self.assertEqual(got["CreateDate"], parse_time(created["CreateDate"]))

    def test_user_ids_differ(self):
        first = client("iam").create_user(UserName=unique())["User"]["UserId"]
        second = client("iam").create_user(UserName=unique())["User"]["UserId"]
        self.assertNotEqual(first, second)

    def test_get_user_without_name_is_the_caller(self):
        user = cli_json("iam", "get-user")["User"]
        self.assertEqual(user["Arn"], ROOT_ARN)
        self.assertEqual(user["UserId"], ACCOUNT_ID)
        user = client("iam").get_user()["User"]
        self.assertEqual(user["Arn"], ROOT_ARN)
        self.assertEqual(user["UserId"], ACCOUNT_ID)

    def test_path_and_tags(self):
        name = unique()
        path = "/division_abc/"
        tags = [{"Key": "team", "Value": "blue"}, {"Key": "cost-center", "Value": "12345"}]
        user = cli_json(
            "iam", "create-user", "--user-name", name, "--path", path,
            "--tags", "Key=team,Value=blue", "Key=cost-center,Value=12345",
        )["User"]
        self.assertEqual(user["Path"], path)
        self.assertEqual(user["Arn"], f"arn:aws:iam::{ACCOUNT_ID}:user/division_abc/{name}")
        self.assertCountEqual(user.get("Tags", []), tags)

        got = cli_json("iam", "get-user", "--user-name", name)["User"]
        self.assertEqual(got["Path"], path)
        self.assertEqual(got["Arn"], user["Arn"])
        self.assertCountEqual(got.get("Tags", []), tags)

        # The CLI follows every page of ListUsers.
        listed = cli_json("iam", "list-users")["Users"]
        mine = [u for u in listed if u["UserName"] == name]
        self.assertEqual(len(mine), 1, [u["UserName"] for u in listed])
        self.assertEqual(mine[0]["Path"], path)
        self.assertEqual(mine[0]["Arn"], user["Arn"])
        self.assertEqual(mine[0]["UserId"], user["UserId"])

        listed = cli_json("iam", "list-users", "--path-prefix", path)["Users"]
        self.assertIn(name, [u["UserName"] for u in listed])
        self.assertTrue(all(u["Path"].startswith(path) for u in listed), listed)

    # ListUsers

    def test_list_users_path_prefix(self):
        top = f"/{unique('prefix')}/"
        names = {
            f"{top}a/": unique("a"),
            f"{top}b/": unique("b"),
            "/": unique("c"),
        }
        iam = client("iam")
        for path, name in names.items():
            iam.create_user(UserName=name, Path=path)

        response = iam.list_users(PathPrefix=top)
        self.assertFalse(response["IsTruncated"])
        self.assertNotIn("Marker", response)
        self.assertEqual(
            [u["UserName"] for u in response["Users"]],
            sorted([names[f"{top}a/"], names[f"{top}b/"]]),
        )
        response = iam.list_users(PathPrefix=f"{top}b/")
        self.assertEqual([u["UserName"] for u in response["Users"]], [names[f"{top}b/"]])
        self.assertEqual(response["Users"][0]["Path"], f"{top}b/")
        self.assertEqual(iam.list_users(PathPrefix=f"/{unique('none')}/")["Users"], [])

        # The whole account: the user at / too.
        every = iam.get_paginator("list_users").paginate().build_full_result()["Users"]
        self.assertIn(names["/"], [u["UserName"] for u in every])

    def test_list_users_pages(self):
        prefix = unique("pages")
        path = f"/{prefix}/"
        names = [f"{prefix}-{i:03d}" for i in range(250)]
        iam = client("iam")
        # Created out of order, so that the listing's order is the server's doing.
        shuffled = names[:]
        random.Random(7).shuffle(shuffled)
        with ThreadPoolExecutor(max_workers=8) as pool:
            created = list(pool.map(lambda n: iam.create_user(UserName=n, Path=path)["User"]["UserName"], shuffled))
        self.assertCountEqual(created, names)

        pages = list(
            iam.get_paginator("list_users").paginate(
                PathPrefix=path, PaginationConfig={"PageSize": 100}
            )
        )
        self.assertEqual([len(page["Users"]) for page in pages], [100, 100, 50])
        self.assertEqual([page["IsTruncated"] for page in pages], [True, True, False])
        seen = [u["UserName"] for page in pages for u in page["Users"]]
        self.assertEqual(seen, names)

        # By hand: the default page is 100, the Marker leads on, the last page has none.
        first = iam.list_users(PathPrefix=path)
        self.assertEqual(len(first["Users"]), 100)
        self.assertTrue(first["IsTruncated"])
        self.assertTrue(first.get("Marker"))
        second = iam.list_users(PathPrefix=path, Marker=first["Marker"], MaxItems=120)
        self.assertEqual([u["UserName"] for u in second["Users"]], names[100:220])
        self.assertTrue(second["IsTruncated"])
        last = iam.list_users(PathPrefix=path, Marker=second["Marker"], MaxItems=100)
        self.assertEqual([u["UserName"] for u in last["Users"]], names[220:])
        self.assertFalse(last["IsTruncated"])
        self.assertNotIn("Marker", last)

        # The CLI follows the pages itself.
        listed = cli_json("iam", "list-users", "--path-prefix", path)["Users"]
        self.assertEqual([u["UserName"] for u in listed], names)

    # DeleteUser

    def test_delete_user(self):
        name = unique()
        cli_json("iam", "create-user", "--user-name", name)
        rc, out, err = cli("iam", "delete-user", "--user-name", name)
        self.assertEqual((rc, out), (0, ""), err)

        message = f"The user with name {name} cannot be found."
        self.assertCliError(("iam", "get-user", "--user-name", name), "GetUser", "NoSuchEntity", message)
        iam = client("iam")
        self.assertClientError(lambda: iam.get_user(UserName=name), "NoSuchEntity", 404, message)
        self.assertClientError(lambda: iam.delete_user(UserName=name), "NoSuchEntity", 404, message)
        self.assertNotIn(name, [u["UserName"] for u in iam.list_users(PathPrefix="/")["Users"]])
        # The name is free again.
        self.assertEqual(iam.create_user(UserName=name)["User"]["UserName"], name)

    def test_delete_user_with_access_key_conflicts(self):
        name, _key = user_with_key("keyed")
        iam = client("iam")
        self.assertClientError(
            lambda: iam.delete_user(UserName=name),
            "DeleteConflict",
            409,
            "Cannot delete entity, must delete access keys first.",
        )
        self.assertEqual(iam.get_user(UserName=name)["User"]["UserName"], name)

    # Errors

    def test_no_such_entity(self):
        name = unique("ghost")
        message = f"The user with name {name} cannot be found."
        self.assertClientError(lambda: client("iam").get_user(UserName=name), "NoSuchEntity", 404, message)
        self.assertCliError(("iam", "delete-user", "--user-name", name), "DeleteUser", "NoSuchEntity", message)

    def test_entity_already_exists(self):
        name = unique()
        iam = client("iam")
        iam.create_user(UserName=name)
        message = f"User with name {name} already exists."
        self.assertClientError(lambda: iam.create_user(UserName=name), "EntityAlreadyExists", 409, message)
        self.assertCliError(
            ("iam", "create-user", "--user-name", name), "CreateUser", "EntityAlreadyExists", message
        )

    def test_user_names_ignore_case(self):
        # AWS: "User names are not distinguished by case"; ADMIN and admin are the same user.
        name = unique("case")
        iam = client("iam")
        iam.create_user(UserName=name)
        self.assertClientError(lambda: iam.create_user(UserName=name.upper()), "EntityAlreadyExists", 409)

    def test_validation_error(self):
        message = (
            "1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\w+=,.@-]+"
        )
        self.assertClientError(lambda: client("iam").create_user(UserName="a b"), "ValidationError", 400, message)
        self.assertCliError(("iam", "create-user", "--user-name", "a b"), "CreateUser", "ValidationError", message)
        self.assertClientError(lambda: client("iam").get_user(UserName="a b"), "ValidationError", 400)

    def test_access_denied_without_policies(self):
        name, key = user_with_key("mary")
        message = (
            f"User: arn:aws:iam::{ACCOUNT_ID}:user/{name} is not authorized to perform: "
            "iam:ListUsers on resource: *"
        )
        self.assertClientError(lambda: client("iam", key=key).list_users(), "AccessDenied", 403, message)
        self.assertCliError(("iam", "list-users"), "ListUsers", "AccessDenied", message, key=key)
        # Nor may it create users.
        self.assertClientError(
            lambda: client("iam", key=key).create_user(UserName=unique()), "AccessDenied", 403
        )


if __name__ == "__main__":
    unittest.main()
