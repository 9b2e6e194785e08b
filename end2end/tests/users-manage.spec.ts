import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { ready, signInAsRoot, watchForPageErrors } from "./support";

// Managing a user from their details page: Delete after typing the name (a wrong name is refused at
// the field), the user leaves the Users list, and a session of theirs ends at once; the Tags tab
// (add, edit, remove, IAM's rules); and Remove from a group after a confirmation.
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);

let errors: string[] = [];

test.beforeEach(async ({ page }, testInfo) => {
  errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
});

test.afterEach(() => {
  expect(errors).toEqual([]);
});

async function next(page: Page, testInfo: TestInfo, button: string, heading: string) {
  await page.getByRole("button", { name: button, exact: true }).click();
  await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
  await ready(page, testInfo);
}

/** Creates a user with console access and a custom password; returns the sign-in URL. */
async function createUser(page: Page, testInfo: TestInfo, name: string, password: string): Promise<string> {
  await page.goto("/users/create");
  await ready(page, testInfo);
  await page.getByLabel("User name 1", { exact: true }).fill(name);
  await page.getByLabel("Console access").check();
  await page.getByLabel("Custom password").check();
  await page.getByLabel("User must create a new password at next sign-in").uncheck();
  await next(page, testInfo, "Next: Permissions", "Set permissions");
  await next(page, testInfo, "Next: Tags", "Add tags - optional");
  await next(page, testInfo, "Next: Review", "Review and create");
  await page.getByLabel("Custom password").fill(password);
  await page.getByRole("button", { name: "Create users" }).click();
  await expect(page.getByRole("heading", { name: "Retrieve password" })).toBeVisible();
  return (await page.getByTestId("sign-in-url").textContent())!;
}

test("delete a user after typing the name; their session ends", async ({ page, browser }, testInfo) => {
  const name = `leaver+${run}@examplecorp.com`;
  const password = "Amber-Canyon-61-violet";
  const signInUrl = await createUser(page, testInfo, name, password);

  // The user signs in in a second browser.
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled,
  });
  const theirs = await context.newPage();
  await theirs.goto(new URL(signInUrl).pathname);
  await ready(theirs, testInfo);
  const form = theirs.getByRole("form", { name: "IAM user sign-in" });
  await form.getByLabel("IAM user name").fill(name);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(theirs).not.toHaveURL(/\/signin/);

  await page.goto(`/users/details?name=${encodeURIComponent(name)}`);
  await ready(page, testInfo);
  await page.getByRole("link", { name: "Delete", exact: true }).click();
  await expect(page.getByRole("heading", { name: `Delete ${name}?` })).toBeVisible();
  await ready(page, testInfo);
  const confirm = page.getByLabel("To confirm deletion, enter the user name");
  await confirm.fill("someone-else");
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByLabel("To confirm deletion, enter the user name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(`type the user name \`${name}\` to confirm the deletion`).first()).toBeVisible();
  await ready(page, testInfo);
  await page.getByLabel("To confirm deletion, enter the user name").fill(name);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page).toHaveURL(/\/users\?deleted=/);
  await expect(page.getByRole("status")).toHaveText(`User ${name} deleted.`);

  await page.goto(`/users?q=${encodeURIComponent(name)}`);
  await ready(page, testInfo);
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);

  // Their next page load goes to the sign-in page.
  await theirs.goto("/");
  await expect(theirs).toHaveURL(/\/signin/);
  await context.close();
});

// The Tags tab and leaving a group, on a user made through the API: in a group that gives
// IAMReadOnlyAccess.
const TAGGED = `tagged+${run}@examplecorp.com`;
const LEAVING = `leaving+${run}@examplecorp.com`;
const GROUP = `Leavers-${run}`;

function origin(testInfo: TestInfo) {
  return { Origin: new URL(testInfo.project.use.baseURL!).origin };
}

async function createUserInGroup(page: Page, testInfo: TestInfo, name: string, group: string) {
  const draft = {
    names: [name],
    console_access: false,
    custom_password: false,
    reset_required: false,
    permissions: "group",
    group_names: [group],
    copy_from: "",
    policy_arns: [],
    tags: [],
  };
  const res = await page.request.post("/api/create_users", {
    headers: origin(testInfo),
    form: { draft: JSON.stringify(draft) },
    maxRedirects: 0,
  });
  expect(res.status(), await res.text()).toBeLessThan(400);
}

async function openUserTab(page: Page, testInfo: TestInfo, name: string, tab: RegExp, heading: RegExp) {
  await page.goto(`/users/details?name=${encodeURIComponent(name)}`);
  await ready(page, testInfo);
  await page.getByRole("navigation", { name: "User details" }).getByRole("link", { name: tab }).click();
  await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  await ready(page, testInfo);
}

test("a group to leave, and users in it", async ({ page }, testInfo) => {
  const res = await page.request.post("/api/create_group", {
    headers: origin(testInfo),
    form: { name: GROUP, "policy_arns[]": "arn:aws:iam::aws:policy/IAMReadOnlyAccess" },
    maxRedirects: 0,
  });
  expect(res.status(), await res.text()).toBeLessThan(400);
  await createUserInGroup(page, testInfo, TAGGED, GROUP);
  await createUserInGroup(page, testInfo, LEAVING, GROUP);
});

test("tags: add two, edit one, remove one; a reserved key is refused", async ({ page }, testInfo) => {
  await openUserTab(page, testInfo, TAGGED, /^Tags/, /^Tags \(0\)$/);
  await expect(page.getByText("No tags associated with the resource.")).toBeVisible();
  const row = (key: string) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: key, exact: true }) });

  await page.getByLabel("Key", { exact: true }).fill("team");
  await page.getByLabel("Value - optional").fill("platform");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(row("team")).toContainText("platform");
  await ready(page, testInfo);
  await page.getByLabel("Key", { exact: true }).fill("cost-center");
  await page.getByLabel("Value - optional").fill("42");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("heading", { name: "Tags (2)" })).toBeVisible();
  await expect(row("cost-center")).toContainText("42");
  await ready(page, testInfo);

  // Edit changes the value; the key stays.
  await page.getByRole("link", { name: "Edit tag team" }).click();
  await expect(page.getByRole("heading", { name: "Edit tag team" })).toBeVisible();
  await ready(page, testInfo);
  const edit = page.getByRole("form", { name: "Edit tag" });
  await expect(edit.getByLabel("Value - optional")).toHaveValue("platform");
  await edit.getByLabel("Value - optional").fill("security");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(row("team")).toContainText("security");
  await expect(page.getByRole("heading", { name: "Add tag" })).toBeVisible();
  await ready(page, testInfo);

  await row("cost-center").getByRole("button", { name: "Remove tag cost-center" }).click();
  await expect(page.getByRole("heading", { name: "Tags (1)" })).toBeVisible();
  await expect(row("cost-center")).toHaveCount(0);
  await expect(row("team")).toContainText("security");
  await ready(page, testInfo);

  // IAM's rules are the server's: `aws:` is reserved.
  await page.getByLabel("Key", { exact: true }).fill("aws:owner");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("alert")).toContainText("the tag key `aws:owner` begins with `aws:`, which is reserved for AWS");
  await expect(page.getByRole("heading", { name: "Tags (1)" })).toBeVisible();

  // The list as it is stored.
  await openUserTab(page, testInfo, TAGGED, /^Tags/, /^Tags \(1\)$/);
  await expect(page.getByRole("rowheader")).toHaveText(["team"]);
  await expect(row("team")).toContainText("security");
});

test("remove a user from a group after confirming: gone from Groups and Permissions", async ({ page }, testInfo) => {
  await openUserTab(page, testInfo, LEAVING, /^Permissions/, /^Permissions policies$/);
  const policies = page.getByRole("table", { name: "Permissions policies" });
  await expect(policies.getByRole("row", { name: /IAMReadOnlyAccess/ })).toContainText(`Attached via group ${GROUP}`);
  await openUserTab(page, testInfo, LEAVING, /^Groups \(1\)/, /^User groups membership$/);
  const groups = page.getByRole("table", { name: "User groups membership" });
  await groups.getByRole("link", { name: `Remove from ${GROUP}` }).click();
  const dialog = page.getByRole("dialog", { name: `Remove ${LEAVING} from ${GROUP}?` });
  await expect(dialog).toBeVisible();
  await ready(page, testInfo);

  // Cancel keeps the membership.
  await dialog.getByRole("link", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(groups.getByRole("link", { name: GROUP, exact: true })).toBeVisible();
  await ready(page, testInfo);

  await groups.getByRole("link", { name: `Remove from ${GROUP}` }).click();
  await expect(dialog).toBeVisible();
  await ready(page, testInfo);
  await dialog.getByRole("button", { name: "Remove from group" }).click();
  await expect(page.getByText("This user is in no group.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Groups (0)" })).toBeVisible();
  await expect(groups.getByRole("link", { name: GROUP, exact: true })).toHaveCount(0);
  await ready(page, testInfo);

  await page.getByRole("navigation", { name: "User details" }).getByRole("link", { name: /^Permissions/ }).click();
  await expect(page.getByText("No policies attached to this user.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Permissions (0)" })).toBeVisible();

  // The other member stays in the group.
  await openUserTab(page, testInfo, TAGGED, /^Groups \(1\)/, /^User groups membership$/);
});
