import { expect, test, type Browser, type Locator, type Page, type TestInfo } from "@playwright/test";
import { hydrated, ready, signInAsRoot, watchForPageErrors } from "./support";

// The Access Advisor and "Generate a policy from access activity" (issue 6 items 4 and 5). Root
// sets up a customer managed policy allowing iam:Get*, iam:List* and s3:ListAllMyBuckets, a group
// with it and a member; the member lists users (allowed) and opens Create policy (denied); root
// reads the group's and the policy's Access Advisor (IAM accessed by the member, S3 not), filters
// it, opens IAM's actions, then generates a policy by services, which keeps iam and removes s3,
// and saves it as the new default version.
//
// Named to run after foundation.spec.ts (root's one-time setup link) and groups.spec.ts (the
// create page before any user exists), as user-enforcement.spec.ts is. Names carry `aa` and this run's id, so the two projects (separate servers) and other specs'
// filters do not meet.
test.describe.configure({ mode: "serial" });

const run = `aa${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const POLICY = `ReadIamListS3-${run}`;
const GROUP = `Auditors-${run}`;
const USER = `mary.${run}`;
const PASSWORD = `Audit-${run}-trail-37`;
const IAM = "AWS Identity and Access Management (IAM)";
const S3 = "Amazon S3";
const DOCUMENT = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
    { Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" },
  ],
});
const state = { account: "", policyArn: "" };

function origin(testInfo: TestInfo) {
  return { Origin: new URL(testInfo.project.use.baseURL!).origin };
}

async function post(page: Page, testInfo: TestInfo, fn: string, form: Record<string, string>) {
  const res = await page.request.post(`/api/${fn}`, { headers: origin(testInfo), form, maxRedirects: 0 });
  expect(res.status(), `${fn}: ${await res.text()}`).toBeLessThan(400);
}

/** Signs `user` in, in a browser context of its own with the project's JavaScript setting. */
async function signedIn(browser: Browser, testInfo: TestInfo, user: string) {
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
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTitle("Signed in as")).toContainText(user);
  await ready(page, testInfo);
  return { context, page, errors };
}

function serviceRow(table: Locator, service: string): Locator {
  return table.locator(":scope > tbody > tr").filter({ hasText: service });
}

/** The report as a group or policy shows it: IAM used by the member, S3 not; `count` names the
 * column of how many users accessed each service and action. */
async function expectReport(page: Page, testInfo: TestInfo, count: "Members accessed" | "Entities accessed") {
  const table = page.getByRole("table", { name: "Services" });
  await expect(serviceRow(table, IAM)).toContainText(`by ${USER}`);
  // Columns: policies, last accessed, then the count.
  await expect(table.getByRole("columnheader", { name: count, exact: true })).toBeVisible();
  await expect(serviceRow(table, IAM).locator(":scope > td").nth(2)).toHaveText("1");
  await expect(serviceRow(table, S3).locator(":scope > td").nth(2)).toHaveText("0");
  await expect(serviceRow(table, IAM)).toContainText(POLICY);
  await expect(serviceRow(table, S3)).toContainText("Not accessed in the tracking period");
  // Most recent first: IAM (accessed) before S3.
  await expect(table.locator(":scope > tbody > tr").first()).toContainText(IAM);

  const filters = page.getByRole("navigation", { name: "Filter services" });
  await filters.getByRole("link", { name: "Accessed", exact: true }).click();
  await ready(page, testInfo);
  await expect(serviceRow(table, S3)).toHaveCount(0);
  await expect(serviceRow(table, IAM)).toHaveCount(1);
  await filters.getByRole("link", { name: "Not accessed", exact: true }).click();
  await ready(page, testInfo);
  await expect(serviceRow(table, IAM)).toHaveCount(0);
  await expect(serviceRow(table, S3)).toHaveCount(1);
  await filters.getByRole("link", { name: "All", exact: true }).click();
  await ready(page, testInfo);
  await expect(serviceRow(table, S3)).toHaveCount(1);

  // Action level, on click.
  const actions = page.getByRole("table", { name: `Actions of ${IAM}` });
  await expect(actions).toBeHidden();
  await serviceRow(table, IAM).getByText(IAM, { exact: true }).click();
  await expect(actions).toBeVisible();
  await expect(actions.getByRole("row").filter({ hasText: "iam:ListUsers" })).toContainText("Allowed");
  await expect(actions.getByRole("columnheader", { name: count, exact: true })).toBeVisible();
  await expect(actions.getByRole("row").filter({ hasText: "iam:ListUsers" }).getByRole("cell").nth(4)).toHaveText("1");
}

test("root creates a policy, a group with it and a member", async ({ page }, testInfo) => {
  await signInAsRoot(page, testInfo);
  state.account = (await (await page.request.get("/api/dashboard")).json()).account_id;
  state.policyArn = `arn:aws:iam::${state.account}:policy/${POLICY}`;
  await post(page, testInfo, "create_policy", { name: POLICY, document: DOCUMENT, tags: "[]" });
  await post(page, testInfo, "create_group", { name: GROUP, "policy_arns[]": state.policyArn });
  const draft = {
    names: [USER],
    console_access: true,
    custom_password: true,
    reset_required: false,
    permissions: "group",
    group_names: [GROUP],
    copy_from: "",
    policy_arns: [],
    tags: [],
  };
  await post(page, testInfo, "create_users", { draft: JSON.stringify(draft), password: PASSWORD });
});

test("the member lists users and is refused Create policy", async ({ browser }, testInfo) => {
  const { context, page, errors } = await signedIn(browser, testInfo, USER);
  await page.goto(`/users?q=${run}`);
  await ready(page, testInfo);
  await expect(page.getByRole("link", { name: USER })).toBeVisible();
  await page.goto("/policies/create");
  await ready(page, testInfo);
  await expect(page.getByRole("alert", { name: "Access denied" })).toContainText("iam:CreatePolicy");
  expect(errors).toEqual([]);
  await context.close();
});

test("the group's Access Advisor shows IAM used by the member and S3 not", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto(`/groups/details?name=${encodeURIComponent(GROUP)}`);
  await ready(page, testInfo);
  await page.getByRole("navigation", { name: "Group details" }).getByRole("link", { name: "Access Advisor" }).click();
  await ready(page, testInfo);
  await expectReport(page, testInfo, "Members accessed");
  expect(errors).toEqual([]);
});

test("the policy's Access Advisor shows the same", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto(`/policies/details?arn=${encodeURIComponent(state.policyArn)}`);
  await ready(page, testInfo);
  await page.getByRole("navigation", { name: "Policy sections" }).getByRole("link", { name: "Access Advisor" }).click();
  await ready(page, testInfo);
  await expectReport(page, testInfo, "Entities accessed");
  // The page carries its report once: as many serialized rows (for hydration) as the server
  // function returns. A report made inside the page's Suspense was serialized up to three times.
  const arn = encodeURIComponent(state.policyArn);
  const html = await (await page.request.get(`/policies/details?arn=${arn}&tab=access-advisor`)).text();
  const report = await page.request.get(`/api/service_last_accessed?kind=Policy&id=${arn}`);
  expect(report.status(), await report.text()).toBe(200);
  const rows = (await report.json()) as unknown[];
  expect(rows.length).toBeGreaterThan(0);
  expect(html.split("service_name").length - 1).toBe(rows.length);
  expect(errors).toEqual([]);
});

test("the user's Access Advisor shows their own use", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto(`/users/details?name=${encodeURIComponent(USER)}`);
  await ready(page, testInfo);
  await page.getByRole("navigation", { name: "User details" }).getByRole("link", { name: "Access Advisor" }).click();
  await ready(page, testInfo);
  const table = page.getByRole("table", { name: "Services" });
  const lastAccessed = serviceRow(table, IAM).locator(":scope > td").nth(1);
  await expect(lastAccessed).toHaveText("Today");
  // Only groups and policies count users.
  await expect(table.getByRole("columnheader", { name: /^(Members|Entities) accessed$/ })).toHaveCount(0);
  await expect(serviceRow(table, S3)).toContainText("Not accessed in the tracking period");
  await expect(page.getByRole("form", { name: "Generate a policy" })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("a policy generated from the group's activity keeps iam, drops s3, and is saved as a new version", async ({
  page,
}, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto(`/groups/details?name=${encodeURIComponent(GROUP)}&tab=access-advisor`);
  await ready(page, testInfo);
  const generate = page.getByRole("form", { name: "Generate a policy" });
  await expect(generate.getByLabel("Policy to reduce")).toHaveValue(state.policyArn);
  await expect(generate.getByLabel("Access activity period")).toHaveValue("90");
  await expect(generate.getByLabel("Services used")).toBeChecked();
  await generate.getByRole("button", { name: "Generate policy" }).click();

  await expect(page.getByRole("heading", { name: `Proposal for ${POLICY} (last 90 days)` })).toBeVisible();
  await ready(page, testInfo);
  await expect(page.getByTestId("kept-services")).toHaveText("iam");
  await expect(page.getByTestId("removed-services")).toHaveText("s3");
  await expect(page.getByTestId("compare-left")).toContainText("s3:ListAllMyBuckets");
  await expect(page.getByTestId("compare-right")).not.toContainText("s3:");
  const editor = page.getByLabel("Proposed policy");
  await expect(editor).not.toHaveValue(/s3:/);
  await expect(editor).toHaveValue(/"iam:/);
  await page.getByRole("form", { name: "Edit the proposal" }).getByRole("button", { name: "Next" }).click();

  await expect(page.getByRole("heading", { name: `Review and save: ${POLICY}` })).toBeVisible();
  await ready(page, testInfo);
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByTestId("default-version")).toHaveText("v2");
  await page.goto(`/policies/details?arn=${encodeURIComponent(state.policyArn)}`);
  await ready(page, testInfo);
  await expect(page.getByTestId("policy-json")).toContainText("iam:");
  await expect(page.getByTestId("policy-json")).not.toContainText("s3");
  expect(errors).toEqual([]);
});

test("a policy nobody used gets no proposal; at 5 versions the save asks which one to delete", async ({
  page,
}, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  const unused = `Unused-${run}`;
  await post(page, testInfo, "create_policy", { name: unused, document: DOCUMENT, tags: "[]" });
  const unusedArn = `arn:aws:iam::${state.account}:policy/${unused}`;
  await page.goto(`/policies/generate?arn=${encodeURIComponent(unusedArn)}&period=30&granularity=actions`);
  await ready(page, testInfo);
  await expect(page.getByText(/Consider detaching the policy instead/)).toBeVisible();
  await expect(page.getByLabel("Access activity period")).toHaveValue("30");
  await expect(page.getByLabel("Actions used")).toBeChecked();

  // The used policy has v1 and v2; three more make the maximum of 5.
  for (let i = 0; i < 3; i++) {
    await post(page, testInfo, "create_policy_version", { arn: state.policyArn, document: DOCUMENT });
  }
  await page.goto(`/policies/generate?arn=${encodeURIComponent(state.policyArn)}&period=90&granularity=actions`);
  await ready(page, testInfo);
  await expect(page.getByLabel("Proposed policy")).toHaveValue(/iam:ListUsers/);
  await page.getByRole("form", { name: "Edit the proposal" }).getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("heading", { name: `Review and save: ${POLICY}` })).toBeVisible();
  await ready(page, testInfo);
  const save = page.getByRole("form", { name: "Review and save" });
  await save.getByLabel("v1", { exact: true }).check();
  await save.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByTestId("default-version")).toHaveText("v6");
  await expect(page.getByRole("heading", { name: "Policy versions (5)" })).toBeVisible();
  expect(errors).toEqual([]);
});
