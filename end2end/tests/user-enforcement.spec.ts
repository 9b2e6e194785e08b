import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { hydrated, ready, signInAsRoot, watchForPageErrors } from "./support";

// The console enforces IAM on itself (issue 6 item 1) and access keys reach the authorization API
// (item 2). Root sets up two groups, PowerUsers (PowerUserAccess) and IAM admins (IAMFullAccess),
// with a member each; the PowerUsers member sees no IAM pages and is refused them with a clear
// message, but changes their own password; the IAM admin lists users, groups and policies until
// root detaches IAMFullAccess, which takes effect on the admin's next request. Then root creates
// an access key for the PowerUsers member, reads its secret once, and the key calls the API.
//
// Named to run after foundation.spec.ts (root's one-time setup link) and groups.spec.ts (the
// create page before any user exists): each project runs the spec files one at a time, in name
// order. Names carry `enf` and this run's id, so other specs' filters do not find these users.
test.describe.configure({ mode: "serial" });

const run = `enf${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const POWER_GROUP = `PowerUsers-${run}`;
const ADMIN_GROUP = `IamAdmins-${run}`;
const POWER = `power.${run}@examplecorp.com`;
const ADMIN = `iam.admin.${run}@examplecorp.com`;
const PASSWORD = `Gate-${run}-keeper-41`;
const NEW_PASSWORD = `Moat-${run}-bridge-52`;
const IAM_FULL = "arn:aws:iam::aws:policy/IAMFullAccess";
const state = { account: "", password: PASSWORD };

function origin(testInfo: TestInfo) {
  return { Origin: new URL(testInfo.project.use.baseURL!).origin };
}

async function post(page: Page, testInfo: TestInfo, fn: string, form: Record<string, string>) {
  const res = await page.request.post(`/api/${fn}`, { headers: origin(testInfo), form, maxRedirects: 0 });
  expect(res.status(), `${fn}: ${await res.text()}`).toBeLessThan(400);
}

async function createUser(page: Page, testInfo: TestInfo, name: string, group: string) {
  const draft = {
    names: [name],
    console_access: true,
    custom_password: true,
    reset_required: false,
    permissions: "group",
    group_names: [group],
    copy_from: "",
    policy_arns: [],
    tags: [],
  };
  await post(page, testInfo, "create_users", { draft: JSON.stringify(draft), password: PASSWORD });
}

/** Signs `user` in, in a browser context of its own with the project's JavaScript setting. */
async function signedIn(browser: Browser, testInfo: TestInfo, user: string, password = PASSWORD) {
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    javaScriptEnabled: hydrated(testInfo),
  });
  const page = await context.newPage();
  const errors = watchForPageErrors(page);
  await page.goto(`/signin/${state.account}`);
  await ready(page, testInfo);
  const form = page.getByRole("form", { name: "IAM user sign-in" });
  await form.getByLabel("IAM user name").fill(user);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTitle("Signed in as")).toContainText(user);
  await ready(page, testInfo);
  return { context, page, errors };
}

function nav(page: Page) {
  return page.getByRole("navigation", { name: "Navigation" });
}

async function expectDenied(page: Page, testInfo: TestInfo, path: string, action: string, resource: string) {
  await page.goto(path);
  await ready(page, testInfo);
  const denied = page.getByRole("alert", { name: "Access denied" });
  await expect(denied).toContainText(`You don't have permission to ${action} on ${resource}.`);
}

test("root sets up a PowerUsers group and an IAM admins group, with a member each", async ({ page }, testInfo) => {
  await signInAsRoot(page, testInfo);
  state.account = (await (await page.request.get("/api/dashboard")).json()).account_id;
  await post(page, testInfo, "create_group", {
    name: POWER_GROUP,
    "policy_arns[]": "arn:aws:iam::aws:policy/PowerUserAccess",
  });
  await post(page, testInfo, "create_group", { name: ADMIN_GROUP, "policy_arns[]": IAM_FULL });
  await createUser(page, testInfo, POWER, POWER_GROUP);
  await createUser(page, testInfo, ADMIN, ADMIN_GROUP);
});

test("a PowerUsers member sees no IAM pages, is refused them clearly, and changes their own password", async ({
  browser,
}, testInfo) => {
  const { context, page, errors } = await signedIn(browser, testInfo, POWER);
  for (const hidden of ["Dashboard", "Policies", "User groups", "Users", "Account settings"]) {
    await expect(nav(page).getByRole("link", { name: hidden, exact: true })).toHaveCount(0);
  }
  await expectDenied(page, testInfo, "/users", "iam:ListUsers", "*");
  await expect(page.getByRole("link", { name: "Add users" })).toHaveCount(0);
  await expectDenied(page, testInfo, "/groups", "iam:ListGroups", "*");
  await expect(page.getByRole("link", { name: "Create group" })).toHaveCount(0);
  await expectDenied(page, testInfo, "/policies", "iam:ListPolicies", "*");
  await expect(page.getByRole("link", { name: "Create policy" })).toHaveCount(0);
  await expectDenied(page, testInfo, `/users/details?name=${encodeURIComponent(POWER)}`, "iam:ListUsers", "*");
  await expectDenied(page, testInfo, "/users/create", "iam:CreateUser", `arn:aws:iam::${state.account}:user/*`);
  await expect(page.getByLabel("User name 1", { exact: true })).toHaveCount(0);
  await expectDenied(page, testInfo, "/groups/create", "iam:CreateGroup", `arn:aws:iam::${state.account}:group/*`);
  await expect(page.getByLabel("User group name")).toHaveCount(0);
  await expectDenied(page, testInfo, "/policies/create", "iam:CreatePolicy", `arn:aws:iam::${state.account}:policy/*`);
  await expectDenied(page, testInfo, "/settings", "iam:GetAccountPasswordPolicy", "*");
  await expectDenied(page, testInfo, "/", "iam:GetAccountSummary", "*");

  // The server functions refuse too.
  const write = await page.request.post("/api/create_group", {
    headers: origin(testInfo),
    form: { name: `Sneaky-${run}` },
    maxRedirects: 0,
  });
  expect(write.status()).toBe(403);
  expect(await write.text()).toContain("iam:CreateGroup");
  expect((await page.request.get("/api/list_users?query=&offset=0")).status()).toBe(403);

  // Their own password: allowed by the account setting "Allow users to change their own password".
  await page.getByRole("link", { name: "Change password" }).click();
  await expect(page.getByRole("heading", { name: "Change password" })).toBeVisible();
  await ready(page, testInfo);
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await form.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("heading", { name: "Change password" })).toHaveCount(0);
  await expect(page.getByTitle("Signed in as")).toContainText(POWER);
  state.password = NEW_PASSWORD;
  expect(errors).toEqual([]);
  await context.close();
});

test("an IAMFullAccess member lists users, groups and policies until root detaches the policy", async ({
  browser,
  page: root,
}, testInfo) => {
  const { context, page, errors } = await signedIn(browser, testInfo, ADMIN);
  for (const shown of ["Policies", "User groups", "Users"]) {
    await expect(nav(page).getByRole("link", { name: shown, exact: true })).toBeVisible();
  }
  await page.goto(`/users?q=${encodeURIComponent(`.${run}@`)}`);
  await ready(page, testInfo);
  await expect(page.getByRole("link", { name: POWER })).toBeVisible();
  await expect(page.getByRole("link", { name: "Add users" })).toBeVisible();
  await page.goto(`/groups?q=${run}`);
  await ready(page, testInfo);
  await expect(page.getByRole("link", { name: POWER_GROUP, exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create group" })).toBeVisible();
  await page.goto("/policies?query=IAMFullAccess");
  await ready(page, testInfo);
  await expect(page.getByRole("link", { name: "IAMFullAccess", exact: true })).toBeVisible();

  // Root detaches IAMFullAccess: the admin's next request is refused.
  await signInAsRoot(root, testInfo);
  await post(root, testInfo, "detach_group_policy", { name: ADMIN_GROUP, policy_arn: IAM_FULL });
  // The navigation follows at the next page, also one reached without a full load (hydrated).
  await nav(page).getByRole("link", { name: "Dashboard", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(nav(page).getByRole("link", { name: "Users", exact: true })).toHaveCount(0);
  await expect(nav(page).getByRole("link", { name: "Policies", exact: true })).toHaveCount(0);
  await expectDenied(page, testInfo, "/users", "iam:ListUsers", "*");
  await expect(nav(page).getByRole("link", { name: "Users", exact: true })).toHaveCount(0);
  expect(errors).toEqual([]);
  await context.close();
});

test("root creates an access key for the PowerUsers member; the secret is shown once and calls the API", async ({
  page,
}, testInfo) => {
  const errors = watchForPageErrors(page);
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  await signInAsRoot(page, testInfo);
  const security = `/users/details?name=${encodeURIComponent(POWER)}&tab=security`;
  await page.goto(security);
  await ready(page, testInfo);
  const keys = page.getByRole("region", { name: "Access keys" });
  await expect(keys).toContainText("This user has no access keys.");
  await keys.getByRole("button", { name: "Create access key" }).click();
  await expect(page.getByRole("heading", { name: "Retrieve access keys" })).toBeVisible();
  await ready(page, testInfo);
  const once = page.url();

  const id = (await page.getByTestId("new-access-key-id").textContent())!.trim();
  expect(id).toMatch(/^AKIA[A-Z0-9]{16}$/);
  const secret = page.getByTestId("secret-access-key");
  await expect(secret).toBeHidden();
  await page.getByText("Show", { exact: true }).click();
  await expect(secret).toBeVisible();
  const value = (await secret.textContent())!.trim();
  expect(value).toHaveLength(40);
  const csv = page.getByRole("link", { name: "Download .csv" });
  const href = (await csv.getAttribute("href"))!;
  expect(href.startsWith("data:text/csv")).toBe(true);
  expect(decodeURIComponent(href.split(",").slice(1).join(","))).toBe(`Access key ID,Secret access key\n${id},${value}\n`);

  // The key's user (PowerUserAccess allows portcullis:Authorize) asks about themselves.
  const ask = (action: string) =>
    page.request.post("/api/v1/authorize", {
      headers: { Authorization: `Bearer ${id}:${value}` },
      data: { principal: POWER, action, resource: "*" },
    });
  const start = await ask("ec2:StartInstances");
  expect(start.status(), await start.text()).toBe(200);
  expect((await start.json()).decision).toBe("Allow");
  const create = await ask("iam:CreateUser");
  expect((await create.json()).decision).toBe("ImplicitDeny");

  // After leaving the page only the id is shown; the secret never was in an address.
  await page.getByRole("link", { name: "Done" }).click();
  await expect(page.getByRole("heading", { name: POWER, exact: true })).toBeVisible();
  await ready(page, testInfo);
  const row = page.getByRole("table", { name: "Access keys" }).getByRole("row").filter({ hasText: id });
  await expect(row.getByTestId("access-key-status")).toHaveText("Active");
  await expect(row).not.toContainText("Never");
  await expect(page.locator("body")).not.toContainText(value);
  await page.goto(once);
  await ready(page, testInfo);
  await expect(page.getByText("The secret access key is no longer available.")).toBeVisible();
  await expect(page.locator("body")).not.toContainText(value);
  expect(urls.filter((u) => u.includes(value))).toEqual([]);

  // Deactivated, the key is refused (401); deleted after typing its id.
  await page.goto(security);
  await ready(page, testInfo);
  await page.getByRole("button", { name: `Deactivate ${id}` }).click();
  await expect(row.getByTestId("access-key-status")).toHaveText("Inactive");
  expect((await ask("ec2:StartInstances")).status()).toBe(401);
  await ready(page, testInfo);
  await row.getByText("Delete", { exact: true }).click();
  const del = page.getByRole("form", { name: `Delete ${id}` });
  await del.getByLabel("To confirm deletion, enter the access key ID").fill("AKIAWRONGWRONGWRONG0");
  await del.getByRole("button", { name: "Delete access key" }).click();
  await expect(page.getByRole("alert")).toContainText(`enter the access key id \`${id}\` to confirm the deletion`);
  await expect(row.getByTestId("access-key-status")).toHaveText("Inactive");
  await page.goto(security);
  await ready(page, testInfo);
  await row.getByText("Delete", { exact: true }).click();
  await del.getByLabel("To confirm deletion, enter the access key ID").fill(id);
  await del.getByRole("button", { name: "Delete access key" }).click();
  await expect(keys).toContainText("This user has no access keys.");
  expect(errors).toEqual([]);
});
