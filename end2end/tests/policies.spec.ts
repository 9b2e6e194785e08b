import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { hydrated, ready, signInAsRoot, watchForPageErrors } from "./support";

// The tests build on each other: the first creates PowerUserExampleCorp, the second edits it.
test.describe.configure({ mode: "serial" });

const NAME = "PowerUserExampleCorp";
const DESCRIPTION = "Allows full access to all services except those for user management";

// The tutorial's reduced policy ("Editing a policy to reduce permissions").
const REDUCED = `{
  "Version": "2012-10-17",
  "Statement": [
      {
          "Sid": "FullAccessToSomeServices",
          "Effect": "Allow",
          "Action": [
              "ec2:*",
              "s3:*"
          ],
          "Resource": "*"
      },
      {
          "Effect": "Allow",
          "Action": [
              "iam:CreateServiceLinkedRole",
              "iam:DeleteServiceLinkedRole",
              "iam:ListRoles",
              "organizations:DescribeOrganization"
          ],
          "Resource": "*"
      }
  ]
}`;

const INVALID = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObjectz"],
            "Resource": "*"
        }
    ]
}`;

const VALID = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:ListAllMyBuckets"],
            "Resource": "*"
        }
    ]
}`;

/** Waits for the address, then for the wasm when the project runs with JavaScript. */
async function arrived(page: Page, testInfo: TestInfo, url: RegExp): Promise<void> {
  await expect(page).toHaveURL(url);
  await ready(page, testInfo);
}

test("tutorial steps 2-8: create PowerUserExampleCorp from PowerUserAccess", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto("/");
  await ready(page, testInfo);

  // 2. Policies in the navigation pane.
  await page.getByRole("navigation", { name: "Navigation" }).getByRole("link", { name: "Policies" }).click();
  await arrived(page, testInfo, /\/policies$/);
  await expect(page.getByRole("heading", { name: "Policies", level: 1 })).toBeVisible();
  await expect(page.getByRole("row", { name: /AdministratorAccess/ }).first()).toContainText("AWS managed");

  // 3. Create policy.
  await page.getByRole("link", { name: "Create policy" }).click();
  await arrived(page, testInfo, /\/policies\/create$/);
  await expect(page.getByRole("heading", { name: "Create policy" })).toBeVisible();

  // 4. The JSON tab, then Import managed policy.
  await page.getByRole("tab", { name: "JSON" }).click();
  await page.getByRole("button", { name: "Import managed policy" }).click();
  await arrived(page, testInfo, /step=import/);
  const dialog = page.getByRole("dialog", { name: "Import managed policies" });
  await expect(dialog).toBeVisible();

  // 5. Type "power"; choose the PowerUserAccess row.
  await dialog.getByLabel("Filter policies").fill("power");
  if (!hydrated(testInfo)) {
    await dialog.getByLabel("Filter policies").press("Enter");
    await arrived(page, testInfo, /import_query=power/);
  }
  const row = page.getByRole("dialog", { name: "Import managed policies" }).getByRole("radio", {
    name: "PowerUserAccess",
    exact: true,
  });
  await expect(row).toBeVisible();
  await expect(dialog.getByRole("radio", { name: "AdministratorAccess", exact: true })).toHaveCount(0);
  await row.check();

  // 6. Import shows the policy in the JSON tab.
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await arrived(page, testInfo, /step=json/);
  const editor = page.getByLabel("Policy editor");
  await expect(editor).toHaveValue(/"NotAction"/);
  await expect(editor).toHaveValue(/"iam:\*"/);
  await expect(page.locator(".findings-counts")).toContainText("Errors: 0");

  // 7. Next: Tags, then Next: Review.
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags/);
  await expect(page.getByRole("heading", { name: "Add tags (Optional)" })).toBeVisible();
  await page.getByRole("button", { name: "Next: Review" }).click();
  await arrived(page, testInfo, /step=review/);
  await expect(page.getByRole("heading", { name: "Review policy" })).toBeVisible();
  await expect(page.locator("table.summary").first()).toContainText("Amazon EC2");

  // 8. Name and description, then Create policy.
  const form = page.getByRole("form", { name: "Review policy" });
  await form.getByLabel("Name", { exact: true }).fill(NAME);
  await form.getByLabel("Description").fill(DESCRIPTION);
  await form.getByRole("button", { name: "Create policy" }).click();
  await arrived(page, testInfo, new RegExp(`/policies\\?created=${NAME}$`));
  await expect(page.getByRole("status")).toHaveText(`Policy ${NAME} created.`);

  // Listed as a customer managed policy.
  await page.getByLabel("Filter policies by name").fill(NAME);
  await page.getByLabel("Type").selectOption("customer");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await arrived(page, testInfo, /type=customer/);
  const listed = page.getByRole("row", { name: new RegExp(NAME) });
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText("Customer managed");
  await expect(listed).toContainText(DESCRIPTION);

  expect(errors).toEqual([]);
});

test("edit to the reduced JSON makes v2; setting v1 as default rolls back", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto(`/policies?query=${NAME}`);
  await ready(page, testInfo);
  await page.getByRole("link", { name: NAME, exact: true }).click();
  await arrived(page, testInfo, /\/policies\/details\?arn=/);
  await expect(page.getByRole("heading", { name: NAME, level: 1 })).toBeVisible();
  await expect(page.getByTestId("policy-arn")).toHaveText(new RegExp(`^arn:aws:iam::\\d{12}:policy/${NAME}$`));
  await expect(page.getByTestId("default-version")).toHaveText("v1");

  // Edit policy, JSON tab: the reduced statement.
  await page.getByRole("link", { name: "Edit policy" }).click();
  await arrived(page, testInfo, /\/policies\/edit\?arn=/);
  await page.getByRole("tab", { name: "JSON" }).click();
  const editor = page.getByLabel("Policy editor");
  await expect(editor).toHaveValue(/"NotAction"/);
  await editor.fill(REDUCED);
  if (hydrated(testInfo)) {
    await expect(page.locator(".findings-counts")).toContainText("Errors: 0");
  }
  await page.getByRole("button", { name: "Next" }).click();
  await arrived(page, testInfo, /step=review/);
  await expect(page.locator("table.summary").first()).toContainText("Amazon S3");
  await page.getByRole("button", { name: "Save changes" }).click();
  await arrived(page, testInfo, /tab=versions/);
  await expect(page.getByTestId("default-version")).toHaveText("v2");
  await expect(page.getByRole("row", { name: /v2 \(Default\)/ })).toBeVisible();

  // The permissions now show the reduced JSON.
  await page.getByRole("link", { name: "Permissions", exact: true }).click();
  await arrived(page, testInfo, /tab=permissions/);
  await expect(page.getByTestId("policy-json")).toContainText("FullAccessToSomeServices");

  // Compare v1 and v2 side by side.
  await page.getByRole("link", { name: "Policy versions" }).click();
  await arrived(page, testInfo, /tab=versions/);
  await page.getByLabel("Version A").selectOption("v1");
  await page.getByLabel("Version B").selectOption("v2");
  await page.getByRole("button", { name: "Compare" }).click();
  await arrived(page, testInfo, /compare_a=v1/);
  await expect(page.getByTestId("compare-left")).toContainText("NotAction");
  await expect(page.getByTestId("compare-right")).toContainText("FullAccessToSomeServices");

  // Roll back: v1 becomes the default again.
  await page.getByRole("row", { name: /^v1/ }).getByRole("button", { name: "Set as default" }).click();
  await expect(page.getByTestId("default-version")).toHaveText("v1");
  await expect(page.getByRole("row", { name: /v1 \(Default\)/ })).toBeVisible();
  await page.getByRole("link", { name: "Permissions", exact: true }).click();
  await arrived(page, testInfo, /tab=permissions/);
  await expect(page.getByTestId("policy-json")).toContainText("NotAction");

  expect(errors).toEqual([]);
});

test("a policy with an invalid action shows the finding and cannot be saved", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto("/policies/create");
  await ready(page, testInfo);
  const editor = page.getByLabel("Policy editor");
  await editor.fill(INVALID);
  if (hydrated(testInfo)) {
    // Findings update as you type, and clicking one selects the element it is about.
    await expect(page.getByRole("heading", { name: "Errors (1)" })).toBeVisible();
    const finding = page.locator("button.finding", { hasText: "s3:GetObjectz" });
    await finding.click();
    await expect(editor).toBeFocused();
    const selected = await editor.evaluate((el: HTMLTextAreaElement) =>
      el.value.substring(el.selectionStart, el.selectionEnd),
    );
    expect(selected).toContain("s3:GetObjectz");
    // Tab inserts spaces.
    await editor.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(0, 0));
    await editor.press("Tab");
    await expect(editor).toHaveValue(/^ {2}\{/);
  }
  // The wizard does not move on, and says why.
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags/);
  await expect(page.getByRole("alert")).toContainText("The policy has errors");
  await expect(page.getByRole("heading", { name: "Errors (1)" })).toBeVisible();
  await expect(page.locator("button.finding", { hasText: "s3:GetObjectz" })).toContainText(/Ln 6, Col \d+/);
  await expect(page.getByRole("heading", { name: "Add tags (Optional)" })).toHaveCount(0);

  // The server refuses it too.
  const res = await page.request.post("/api/create_policy", {
    headers: { Origin: new URL(testInfo.project.use.baseURL!).origin },
    form: { name: "InvalidActionPolicy", document: INVALID },
  });
  expect(res.status()).toBe(400);
  expect(await res.text()).toContain("s3:GetObjectz");
  await page.goto("/policies?query=InvalidActionPolicy");
  await expect(page.getByRole("row", { name: /InvalidActionPolicy/ })).toHaveCount(0);

  expect(errors).toEqual([]);
});

test("a taken name is refused at the Name field, and nothing typed is lost", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto("/policies/create");
  await ready(page, testInfo);
  await page.getByLabel("Policy editor").fill(VALID);
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags/);
  await page.getByRole("button", { name: "Add new tag" }).click();
  await arrived(page, testInfo, /step=add-tag/);
  await page.getByLabel("Tag 1 key").fill("team");
  await page.getByLabel("Tag 1 value").fill("platform");
  await page.getByRole("button", { name: "Next: Review" }).click();
  await arrived(page, testInfo, /step=review/);
  const form = page.getByRole("form", { name: "Review policy" });
  // Names are compared ignoring case.
  await form.getByLabel("Name", { exact: true }).fill(NAME.toLowerCase());
  await form.getByLabel("Description").fill("Typed before the refusal");
  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(page.locator("#policy-name-error")).toContainText("already exists");
  await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  // With and without JavaScript, the name, description, tag and document are still there.
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue(NAME.toLowerCase());
  await expect(form.getByLabel("Description")).toHaveValue("Typed before the refusal");
  await expect(form.getByRole("row", { name: /team\s+platform/ })).toBeVisible();
  await expect(form.locator('input[name="document"]')).toHaveValue(VALID);
  await page.goto(`/policies?query=${NAME}`);
  await expect(page.getByRole("row", { name: new RegExp(NAME, "i") })).toHaveCount(1);

  expect(errors).toEqual([]);
});

test("tags added in the wizard are saved with the policy", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto("/policies/create");
  await ready(page, testInfo);
  await page.getByLabel("Policy editor").fill(VALID);
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags/);
  await expect(page.getByRole("heading", { name: "Add tags (Optional)" })).toBeVisible();
  await page.getByRole("button", { name: "Add new tag" }).click();
  await arrived(page, testInfo, /step=add-tag/);
  await page.getByLabel("Tag 1 key").fill("aws:reserved");
  await page.getByRole("button", { name: "Next: Review" }).click();
  await arrived(page, testInfo, /step=review/);
  // IAM's tag rules are checked before the review.
  await expect(page.getByRole("alert")).toContainText("reserved");
  await page.getByLabel("Tag 1 key").fill("cost-center");
  await page.getByLabel("Tag 1 value").fill("1234");
  await page.getByRole("button", { name: "Next: Review" }).click();
  await arrived(page, testInfo, /step=review/);
  await expect(page.getByRole("heading", { name: "Review policy" })).toBeVisible();
  await expect(page.getByRole("row", { name: /cost-center/ })).toContainText("1234");
  const form = page.getByRole("form", { name: "Review policy" });
  await form.getByLabel("Name", { exact: true }).fill("ListBucketsTagged");
  await form.getByRole("button", { name: "Create policy" }).click();
  await arrived(page, testInfo, /created=ListBucketsTagged/);
  await page.goto("/policies?query=ListBucketsTagged");
  await ready(page, testInfo);
  await page.getByRole("link", { name: "ListBucketsTagged", exact: true }).click();
  await arrived(page, testInfo, /\/policies\/details\?arn=/);
  await page.getByRole("link", { name: "Tags", exact: true }).click();
  await arrived(page, testInfo, /tab=tags/);
  await expect(page.getByRole("row", { name: /cost-center/ })).toContainText("1234");

  expect(errors).toEqual([]);
});

test("attach, detach, and delete with confirmation; AWS managed policies are read-only", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  const origin = { Origin: new URL(testInfo.project.use.baseURL!).origin };

  // AWS managed policies can be viewed and attached, not edited, tagged or deleted.
  await page.goto(`/policies/details?arn=${encodeURIComponent("arn:aws:iam::aws:policy/PowerUserAccess")}`);
  await ready(page, testInfo);
  await expect(page.getByRole("heading", { name: "PowerUserAccess", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit policy" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Delete" })).toHaveCount(0);
  await expect(page.getByTestId("policy-json")).toContainText("NotAction");

  // A group to attach the policy to.
  const group = "PolicyTestGroup";
  const created = await page.request.post("/api/create_group", { headers: origin, form: { name: group } });
  expect(created.status(), await created.text()).toBeLessThan(400);

  await page.goto(`/policies?query=${NAME}`);
  await ready(page, testInfo);
  await page.getByRole("link", { name: NAME, exact: true }).click();
  await arrived(page, testInfo, /\/policies\/details\?arn=/);
  await page.getByRole("link", { name: "Entities attached" }).click();
  await arrived(page, testInfo, /tab=entities/);
  await page.getByLabel("User group or user").selectOption(`group:${group}`);
  await page.getByRole("button", { name: "Attach" }).click();
  const attached = page.getByRole("row", { name: new RegExp(group) });
  await expect(attached).toContainText("Group");
  await ready(page, testInfo);
  await attached.getByRole("button", { name: "Detach" }).click();
  await expect(page.getByText("This policy is not attached to any user group or user.")).toBeVisible();
  await ready(page, testInfo);
  await page.getByLabel("User group or user").selectOption(`group:${group}`);
  await page.getByRole("button", { name: "Attach" }).click();
  await expect(page.getByRole("row", { name: new RegExp(group) })).toBeVisible();

  // Tags on a customer managed policy.
  await page.getByRole("link", { name: "Tags", exact: true }).click();
  await arrived(page, testInfo, /tab=tags/);
  await page.getByLabel("Key", { exact: true }).fill("team");
  await page.getByLabel("Value - optional").fill("platform");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("row", { name: /team/ })).toContainText("platform");

  // Delete asks for the name first.
  await ready(page, testInfo);
  await page.getByRole("link", { name: "Delete", exact: true }).click();
  await arrived(page, testInfo, /delete=1/);
  const confirm = page.getByRole("form", { name: "Delete policy" });
  await confirm.getByLabel("To confirm deletion, enter the policy name").fill("wrong");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(page.locator("#delete-confirm-error")).toContainText(NAME);
  await ready(page, testInfo);
  const again = page.getByRole("form", { name: "Delete policy" });
  await again.getByLabel("To confirm deletion, enter the policy name").fill(NAME);
  await again.getByRole("button", { name: "Delete" }).click();
  await arrived(page, testInfo, new RegExp(`/policies\\?deleted=${NAME}$`));
  await expect(page.getByRole("status")).toHaveText(`Policy ${NAME} deleted.`);
  await page.goto(`/policies?query=${NAME}`);
  await expect(page.getByRole("row", { name: new RegExp(NAME) })).toHaveCount(0);

  // It was detached from the group.
  const view = await page.request.get(`/api/get_group?name=${group}`);
  expect(view.status()).toBe(200);
  expect(await view.text()).not.toContain(NAME);

  expect(errors).toEqual([]);
});

test("the list pages through AWS managed policies on the server", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto("/policies?type=aws");
  await ready(page, testInfo);
  await expect(page.locator("table.policies caption")).toHaveText(/^Policies 1-25 of \d{4}$/);
  await page.getByRole("link", { name: "Next page" }).click();
  await arrived(page, testInfo, /page=2/);
  await expect(page.locator("table.policies caption")).toHaveText(/^Policies 26-50 of \d{4}$/);
  await expect(page.getByRole("row", { name: /Customer managed/ })).toHaveCount(0);
  await page.getByRole("link", { name: "Previous page" }).click();
  await arrived(page, testInfo, /page=1/);
  await expect(page.locator("table.policies caption")).toHaveText(/^Policies 1-25 of/);

  expect(errors).toEqual([]);
});

test("at 5 versions, saving an edit deletes the version the admin chooses", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  const headers = { Origin: new URL(testInfo.project.use.baseURL!).origin };
  const name = "FiveVersionsPolicy";
  const created = await page.request.post("/api/create_policy", {
    headers,
    form: { name, document: VALID },
    maxRedirects: 0,
  });
  expect(created.status(), await created.text()).toBeLessThan(400);
  const arn = (await (await page.request.get(`/api/list_policies?query=${name}&policy_type=customer&page=1`)).json())
    .items[0].arn as string;
  for (let i = 2; i <= 5; i++) {
    const res = await page.request.post("/api/create_policy_version", {
      headers,
      form: { arn, document: VALID.replace("s3:ListAllMyBuckets", i % 2 ? "s3:ListAllMyBuckets" : "s3:GetObject") },
      maxRedirects: 0,
    });
    expect(res.status(), await res.text()).toBeLessThan(400);
  }

  await page.goto(`/policies/edit?arn=${encodeURIComponent(arn)}`);
  await ready(page, testInfo);
  await page.getByLabel("Policy editor").fill(REDUCED);
  await page.getByRole("button", { name: "Next" }).click();
  await arrived(page, testInfo, /step=review/);
  const choice = page.getByRole("group", { name: "Choose a version to delete" });
  await expect(choice.getByRole("radio")).toHaveCount(4);
  await choice.getByRole("radio", { name: /^v2/ }).check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await arrived(page, testInfo, /tab=versions/);
  await expect(page.getByTestId("default-version")).toHaveText("v6");
  await expect(page.getByRole("row", { name: /^v2/ })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Policy versions (5)" })).toBeVisible();

  expect(errors).toEqual([]);
});
