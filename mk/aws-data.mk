# Regenerate the AWS catalog and managed-policy library embedded in the policy crate
# (scripts/aws-data.mjs; inputs pinned in tools/aws-data/package-lock.json). Needs node and the
# npm registry; the generated files are committed, so builds and CI do not.
.PHONY: aws-data aws-data-check
aws-data:
	node scripts/aws-data.mjs

## Fails when the committed policy/data differs from what the pinned packages generate.
aws-data-check: aws-data
	git diff --exit-code -- policy/data
