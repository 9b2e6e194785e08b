# Regenerate the AWS catalog and managed-policy library embedded in the policy crate.
# Needs node and the npm registry; the generated files are committed, so builds do not.
.PHONY: aws-data
aws-data:
	node scripts/aws-data.mjs
