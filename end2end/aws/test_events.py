"""CloudTrail LookupEvents (JSON 1.1) through the AWS CLI and boto3: an API call is in the Event
history with its event source, access key, source address and user agent."""

import json
import unittest

from support import ACCOUNT_ID, ROOT_ARN, cli_json, client, root_key, unique


class EventsTest(unittest.TestCase):
    def test_a_call_through_the_api_is_in_the_event_history(self):
        name = unique("evt")
        client("iam").create_user(UserName=name)
        found = cli_json(
            "cloudtrail",
            "lookup-events",
            "--lookup-attributes",
            f"AttributeKey=ResourceName,AttributeValue={name}",
        )["Events"]
        self.assertEqual([e["EventName"] for e in found], ["CreateUser"], found)
        event = found[0]
        self.assertEqual(event["EventSource"], "iam.amazonaws.com")
        self.assertEqual(event["AccessKeyId"], root_key().access_key_id)
        self.assertEqual(event["ReadOnly"], "false")
        self.assertEqual(
            event["Resources"], [{"ResourceType": "AWS::IAM::User", "ResourceName": name}]
        )
        record = json.loads(event["CloudTrailEvent"])
        self.assertEqual(record["userIdentity"]["arn"], ROOT_ARN)
        self.assertEqual(record["userIdentity"]["accessKeyId"], root_key().access_key_id)
        self.assertEqual(record["recipientAccountId"], ACCOUNT_ID)
        self.assertEqual(record["sourceIPAddress"], "127.0.0.1")
        self.assertIn("Boto3", record["userAgent"])
        self.assertEqual(record["requestParameters"]["userName"], name)

    def test_boto3_pages_and_filters_by_event_name(self):
        for _ in range(3):
            client("iam").create_user(UserName=unique("evp"))
        cloudtrail = client("cloudtrail")
        page = cloudtrail.lookup_events(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
            MaxResults=2,
        )
        self.assertEqual(len(page["Events"]), 2)
        self.assertTrue(page.get("NextToken"), page)
        self.assertTrue(all(e["EventName"] == "CreateUser" for e in page["Events"]))
        following = cloudtrail.lookup_events(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
            MaxResults=2,
            NextToken=page["NextToken"],
        )
        first_ids = {e["EventId"] for e in page["Events"]}
        self.assertTrue(following["Events"])
        self.assertFalse(first_ids & {e["EventId"] for e in following["Events"]})

    def test_two_lookup_attributes_are_refused_as_cloudtrail_does(self):
        from botocore.exceptions import ClientError

        with self.assertRaises(ClientError) as caught:
            client("cloudtrail").lookup_events(
                LookupAttributes=[
                    {"AttributeKey": "EventName", "AttributeValue": "CreateUser"},
                    {"AttributeKey": "Username", "AttributeValue": "x"},
                ]
            )
        self.assertEqual(
            caught.exception.response["Error"]["Code"], "InvalidLookupAttributesException"
        )
