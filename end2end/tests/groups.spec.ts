import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { hydrated, ready, signInAsRoot, watchForPageErrors } from "./support";

// User groups: create (with policies), the name and quota rules, rename, attach and detach,
// inline policies, delete. Each test makes its own groups, named apart from the tutorial's.
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const groupName = (base: string) => `${base}-${run}`;

let errors: string[] = [];

test.beforeEach(async ({ page }, testInfo) => {
  errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
});

test.afterEach(() => {
  expect(errors).toEqual([]);
});

function createForm(page: Page) {
  return page.getByRole("form", { name: "Create user group" });
}

function policyPicker(page: Page) {
  return page.getByRole("group", { name: "Attach permissions policies - Optional" });
}

/** Filters a policy check-box list to `name` and checks it. */
async function choosePolicy(page: Page, testInfo: TestInfo, name: string) {
  const picker = policyPicker(page);
  await picker.getByLabel("Filter policies").fill(name);
  await picker.getByRole("button", { name: "Search" }).click();
  await ready(page, testInfo);
  await picker.getByRole("checkbox", { name, exact: true }).check();
}

async function openCreate(page: Page, testInfo: TestInfo) {
  await page.goto("/groups");
  await ready(page, testInfo);
  await page.getByRole("link", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { name: "Create user group" })).toBeVisible();
  await ready(page, testInfo);
}

async function createGroup(page: Page, testInfo: TestInfo, name: string, policies: string[]) {
  await openCreate(page, testInfo);
  await createForm(page).getByLabel("User group name").fill(name);
  for (const policy of policies) {
    await choosePolicy(page, testInfo, policy);
  }
  await createForm(page).getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("status")).toHaveText(`User group ${name} created.`);
  await ready(page, testInfo);
}

function groupRow(page: Page, name: string) {
  return page.getByRole("table", { name: "User groups" }).getByRole("row").filter({
    has: page.getByRole("link", { name, exact: true }),
  });
}

async function openDetails(page: Page, testInfo: TestInfo, name: string, tab?: "Permissions") {
  await page.goto(`/groups?q=${encodeURIComponent(name)}`);
  await ready(page, testInfo);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name, exact: true })).toBeVisible();
  await ready(page, testInfo);
  if (tab) {
    await page.getByRole("navigation", { name: "Group details" }).getByRole("link", { name: /^Permissions/ }).click();
    await expect(page.getByRole("heading", { name: "Permissions policies" })).toBeVisible();
    await ready(page, testInfo);
  }
}

function permissions(page: Page) {
  return page.getByRole("table", { name: "Permissions policies" });
}

test("the create page works with no users yet and says so", async ({ page }, testInfo) => {
  await openCreate(page, testInfo);
  const users = createForm(page).getByRole("group", { name: "Add users to the group - Optional" });
  await expect(users).toContainText("There are no IAM users in this account yet");
  await expect(users.getByLabel("Filter users")).toBeVisible();
  // All policies are offered, AWS managed and customer managed, a page at a time.
  await expect(policyPicker(page).getByRole("checkbox")).toHaveCount(10);
  await expect(policyPicker(page)).toContainText(/1-10 of \d{4}/);
});

test("create a group with a policy; it is listed with its permissions", async ({ page }, testInfo) => {
  const name = groupName("Auditors");
  await createGroup(page, testInfo, name, ["SecurityAudit"]);
  const row = groupRow(page, name);
  await expect(row.getByRole("cell")).toHaveText([name, "0", "1", /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/]);

  await openDetails(page, testInfo, name, "Permissions");
  await expect(page.getByTestId("group-arn")).toHaveText(new RegExp(`^arn:aws:iam::\\d{12}:group/${name}$`));
  await expect(permissions(page).getByRole("row", { name: /SecurityAudit/ })).toContainText("AWS managed");
});

test("a taken name is refused at the field, case-insensitively, keeping the input", async ({ page }, testInfo) => {
  const name = groupName("Taken");
  await createGroup(page, testInfo, name, []);

  await openCreate(page, testInfo);
  await createForm(page).getByLabel("User group name").fill(name.toUpperCase());
  await choosePolicy(page, testInfo, "IAMReadOnlyAccess");
  await createForm(page).getByRole("button", { name: "Create group" }).click();
  await expect(page.locator("#group-name-error")).toContainText(/already|exists|taken/i);
  await expect(createForm(page).getByLabel("User group name")).toHaveAttribute("aria-invalid", "true");
  await expect(createForm(page).getByLabel("User group name")).toHaveValue(name.toUpperCase());
  // The choice is kept (without JavaScript the list is back on its first page: the choice shows
  // in the list of selected policies).
  await expect(policyPicker(page).getByRole("list", { name: "Selected policies" })).toHaveText("IAMReadOnlyAccess");
});

test("more than 10 policies are refused", async ({ page }, testInfo) => {
  const name = groupName("TooMany");
  await openCreate(page, testInfo);
  await createForm(page).getByLabel("User group name").fill(name);
  const picker = policyPicker(page);
  await picker.getByLabel("Filter policies").fill("AmazonS3");
  await picker.getByRole("button", { name: "Search" }).click();
  await ready(page, testInfo);
  const range = picker.locator(".pager > span");
  await expect(range).toHaveText(/^1-10 of 1\d$/);
  for (const box of await picker.getByRole("checkbox").all()) {
    await box.check();
  }
  await picker.getByRole("button", { name: "Next" }).click();
  await ready(page, testInfo);
  await expect(range).toHaveText(/^11-1\d of 1\d$/);
  await picker.getByRole("checkbox").first().check();
  if (hydrated(testInfo)) {
    // The count and the list of choices follow the check boxes as they change.
    await expect(picker).toContainText("11 selected");
    await expect(picker.getByRole("list", { name: "Selected policies" }).getByRole("listitem")).toHaveCount(11);
  }
  await createForm(page).getByRole("button", { name: "Create group" }).click();
  await expect(page.locator("#group-policies-error")).toContainText("10");
  await expect(createForm(page).getByLabel("User group name")).toHaveValue(name);

  await page.goto(`/groups?q=${name}`);
  await expect(page.getByText("No user groups match the filter.")).toBeVisible();
});

test("rename keeps the group's policies", async ({ page }, testInfo) => {
  const name = groupName("Readers");
  const renamed = groupName("ReadersRenamed");
  await createGroup(page, testInfo, name, ["SecurityAudit", "IAMReadOnlyAccess"]);
  await expect(groupRow(page, name).getByRole("cell").nth(2)).toHaveText("2");

  await openDetails(page, testInfo, name);
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await ready(page, testInfo);
  const form = page.getByRole("form", { name: "Edit user group" });
  await form.getByLabel("User group name").fill(renamed);
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toHaveText("User group renamed.");
  await expect(page.getByTestId("group-name")).toHaveText(renamed);
  await ready(page, testInfo);

  await openDetails(page, testInfo, renamed, "Permissions");
  await expect(permissions(page).getByRole("row")).toHaveCount(3);
  await expect(permissions(page)).toContainText("SecurityAudit");
  await expect(permissions(page)).toContainText("IAMReadOnlyAccess");

  await page.goto(`/groups?q=${name}`);
  await expect(groupRow(page, name)).toHaveCount(0);
});

test("attach and detach managed policies", async ({ page }, testInfo) => {
  const name = groupName("Attachers");
  await createGroup(page, testInfo, name, ["SecurityAudit"]);
  await openDetails(page, testInfo, name, "Permissions");

  await page.getByRole("link", { name: "Attach policies" }).click();
  await ready(page, testInfo);
  const form = page.getByRole("form", { name: "Attach permissions policies" });
  // Policies already attached are shown checked and cannot be chosen again.
  await form.getByLabel("Filter policies").fill("SecurityAudit");
  await form.getByRole("button", { name: "Search" }).click();
  await ready(page, testInfo);
  await expect(form.getByRole("checkbox", { name: "SecurityAudit", exact: true })).toBeDisabled();
  await form.getByLabel("Filter policies").fill("ViewOnlyAccess");
  await form.getByRole("button", { name: "Search" }).click();
  await ready(page, testInfo);
  await form.getByRole("checkbox", { name: "ViewOnlyAccess", exact: true }).check();
  await form.getByRole("button", { name: "Attach policies" }).click();

  await expect(permissions(page).getByRole("row", { name: /ViewOnlyAccess/ })).toBeVisible();
  await expect(permissions(page).getByRole("row")).toHaveCount(3);
  await ready(page, testInfo);

  await page.getByRole("button", { name: "Remove ViewOnlyAccess" }).click();
  await expect(permissions(page).getByRole("row", { name: /ViewOnlyAccess/ })).toHaveCount(0);
  await expect(permissions(page).getByRole("row")).toHaveCount(2);
});

test("inline policies: create, edit, delete", async ({ page }, testInfo) => {
  const name = groupName("Inliners");
  await createGroup(page, testInfo, name, []);
  await openDetails(page, testInfo, name, "Permissions");

  await page.getByRole("link", { name: "Create inline policy" }).click();
  await ready(page, testInfo);
  const form = page.getByRole("form", { name: "Inline policy" });
  await form.getByLabel("Policy name").fill("ReadBuckets");
  // A document with an ERROR finding is refused, and what was typed stays.
  const bad = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjectz", "Resource": "*"}]}';
  await form.getByLabel("Policy editor").fill(bad);
  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(page.locator("#inline-policy-document-error")).toBeVisible();
  await expect(page.getByRole("form", { name: "Inline policy" }).getByLabel("Policy editor")).toHaveValue(bad);
  await ready(page, testInfo);

  const good = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}';
  const retry = page.getByRole("form", { name: "Inline policy" });
  await retry.getByLabel("Policy name").fill("ReadBuckets");
  await retry.getByLabel("Policy editor").fill(good);
  await retry.getByRole("button", { name: "Create policy" }).click();
  await expect(permissions(page).getByRole("row", { name: /ReadBuckets/ })).toContainText("Customer inline");
  await ready(page, testInfo);

  await page.getByRole("link", { name: "Edit ReadBuckets" }).click();
  await ready(page, testInfo);
  const edit = page.getByRole("form", { name: "Inline policy" });
  await expect(edit.getByLabel("Policy editor")).toHaveValue(good);
  await edit.getByLabel("Policy editor").fill(good.replace("s3:GetObject", "s3:ListBucket"));
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(permissions(page).getByRole("row", { name: /ReadBuckets/ })).toBeVisible();
  await ready(page, testInfo);
  await page.getByRole("link", { name: "Edit ReadBuckets" }).click();
  await expect(page.getByLabel("Policy editor")).toHaveValue(/s3:ListBucket/);

  await openDetails(page, testInfo, name, "Permissions");
  await page.getByRole("button", { name: "Remove ReadBuckets" }).click();
  await expect(permissions(page).getByRole("row", { name: /ReadBuckets/ })).toHaveCount(0);
  await expect(page.getByText("No policies are attached to this group.")).toBeVisible();
});

test("delete a group after confirmation", async ({ page }, testInfo) => {
  const name = groupName("Leavers");
  await createGroup(page, testInfo, name, ["SecurityAudit"]);
  await openDetails(page, testInfo, name);

  await page.getByRole("link", { name: "Delete", exact: true }).click();
  await ready(page, testInfo);
  await expect(page.getByText("0 user(s) from it and its 1 managed and 0 inline policies")).toBeVisible();
  const form = page.getByRole("form", { name: "Delete user group" });
  await form.getByLabel("To confirm deletion, enter the user group name").fill("something else");
  await form.getByRole("button", { name: "Delete" }).click();
  await expect(page.locator("#group-delete-confirm-error")).toContainText(name);
  await ready(page, testInfo);

  const again = page.getByRole("form", { name: "Delete user group" });
  await again.getByLabel("To confirm deletion, enter the user group name").fill(name);
  await again.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toHaveText(`User group ${name} deleted.`);
  await expect(groupRow(page, name)).toHaveCount(0);
  await page.goto(`/groups/details?name=${name}`);
  await expect(page.getByRole("alert")).toContainText(name);
  if (hydrated(testInfo)) {
    // The 404 of the missing group is expected here.
    errors = errors.filter((e) => !/404/.test(e));
  }
});
