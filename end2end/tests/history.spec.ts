import { expect, test, type Page, type TestInfo } from "@playwright/test";
// Named to run after foundation.spec.ts (root's one-time setup link) and groups.spec.ts: each
// project runs the spec files in name order.
import { hydrated, ready, ROOT_PASSWORD, signInAsRoot, watchForPageErrors } from "./support";

// Event history: lookups by attribute, the read-only switch, a row's JSON record, and the CSV and
// JSON downloads of the current filter. The group and policy are made through server functions.
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const groupName = `EventsGroup-${run}`;
const policyName = `EventsPolicy-${run}`;

let errors: string[] = [];

test.beforeEach(async ({ page }, testInfo) => {
  errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
});

test.afterEach(() => {
  expect(errors).toEqual([]);
});

function filterForm(page: Page) {
  return page.getByRole("search", { name: "Look up events" });
}

function events(page: Page) {
  return page.getByRole("table", { name: "Events" });
}

/** Opens the Event history from the navigation and looks up `attribute` = `value`. */
async function lookUp(page: Page, testInfo: TestInfo, attribute: string, value: string) {
  await page.goto("/");
  await ready(page, testInfo);
  await page.getByRole("navigation", { name: "Navigation" }).getByRole("link", { name: "Event history" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Event history" })).toBeVisible();
  await expect(page).toHaveTitle(/Event history/);
  await ready(page, testInfo);
  const form = filterForm(page);
  await form.getByLabel("Lookup attribute").selectOption({ label: attribute });
  await form.getByLabel("Lookup value").fill(value);
  await form.getByRole("button", { name: "Look up events" }).click();
  await expect(page).toHaveURL(/attribute=/);
}

test("a group and a policy made through server functions", async ({ page }, testInfo) => {
  const origin = { Origin: new URL(testInfo.project.use.baseURL!).origin };
  const document = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }],
  });
  const policy = await page.request.post("/api/create_policy", {
    headers: origin,
    form: { name: policyName, description: "", document, tags: "" },
    maxRedirects: 0,
  });
  expect(policy.status(), await policy.text()).toBeLessThan(400);
  const group = await page.request.post("/api/create_group", {
    headers: origin,
    form: { name: groupName },
    maxRedirects: 0,
  });
  expect(group.status(), await group.text()).toBeLessThan(400);
});

test("CreateGroup is found by event name and by resource name", async ({ page }, testInfo) => {
  await lookUp(page, testInfo, "Event name", "CreateGroup");
  const row = events(page).getByRole("row").filter({ hasText: new RegExp(groupName) });
  await expect(row).toBeVisible();
  await expect(row).toContainText("AWS::IAM::Group");
  await expect(row).toContainText("iam.amazonaws.com");
  await expect(events(page).getByRole("row").filter({ hasText: /CreatePolicy/ })).toHaveCount(0);
  await expect(events(page).getByRole("row").filter({ hasText: /ConsoleLogin/ })).toHaveCount(0);

  await lookUp(page, testInfo, "Resource name", policyName);
  await expect(events(page).getByRole("row").filter({ hasText: /CreatePolicy/ })).toHaveCount(1);
  await expect(events(page).getByRole("row").filter({ hasText: /CreateGroup/ })).toHaveCount(0);

  await lookUp(page, testInfo, "Resource name", groupName);
  await expect(events(page).getByRole("row").filter({ hasText: /CreateGroup/ })).toHaveCount(1);
});

test("ConsoleLogin shows with its event source, not with another lookup", async ({ page }, testInfo) => {
  await lookUp(page, testInfo, "Event source", "signin.amazonaws.com");
  const logins = events(page).getByRole("row").filter({ hasText: /ConsoleLogin/ });
  await expect(logins.first()).toBeVisible();
  await expect(events(page).getByRole("row").filter({ hasText: /CreateGroup/ })).toHaveCount(0);

  await lookUp(page, testInfo, "Event name", "ConsoleLogin");
  await expect(events(page).getByRole("row").filter({ hasText: /ConsoleLogin/ }).first()).toBeVisible();
  await lookUp(page, testInfo, "Event name", "CreatePolicy");
  await expect(events(page).getByRole("row").filter({ hasText: /ConsoleLogin/ })).toHaveCount(0);
});

test("a row expands to its JSON record and resources, with no secrets", async ({ page }, testInfo) => {
  await lookUp(page, testInfo, "Resource name", groupName);
  const row = events(page).getByRole("row").filter({ hasText: new RegExp(groupName) });
  await row.getByText("CreateGroup", { exact: true }).click();
  const record = row.getByLabel("Event record");
  await expect(record).toBeVisible();
  await expect(record).toContainText('"userIdentity"');
  await expect(record).toContainText('"type": "Root"');
  await expect(record).toContainText(`"groupName": "${groupName}"`);
  await expect(record).toContainText('"eventSource": "iam.amazonaws.com"');
  await expect(record).not.toContainText(ROOT_PASSWORD);
  const resources = row.getByRole("table", { name: "Resources referenced" });
  await expect(resources.getByRole("row").filter({ hasText: groupName })).toBeVisible();
});

test("read-only events show only with the switch on", async ({ page }, testInfo) => {
  // Every lookup is itself a read-only LookupEvents event.
  await lookUp(page, testInfo, "Event name", "LookupEvents");
  await expect(page.getByText("No events match the lookup.")).toBeVisible();
  const form = filterForm(page);
  const readOnly = form.getByRole("switch", { name: "Read-only events" });
  await expect(readOnly).not.toBeChecked();
  await readOnly.check();
  await form.getByRole("button", { name: "Look up events" }).click();
  await expect(page).toHaveURL(/read_only=true/);
  const rows = events(page).getByRole("row").filter({ hasText: /LookupEvents/ });
  await expect(rows.first()).toBeVisible();
  await expect(rows.first()).toContainText("cloudtrail.amazonaws.com");
  await expect(filterForm(page).getByRole("switch", { name: "Read-only events" })).toBeChecked();

  await filterForm(page).getByRole("switch", { name: "Read-only events" }).uncheck();
  await filterForm(page).getByRole("button", { name: "Look up events" }).click();
  await expect(page).not.toHaveURL(/read_only=true/);
  await expect(page.getByText("No events match the lookup.")).toBeVisible();
});

test("a custom time range before the events finds none of them", async ({ page }, testInfo) => {
  await lookUp(page, testInfo, "Resource name", groupName);
  const form = filterForm(page);
  await form.getByLabel("Time range").selectOption({ label: "Custom range" });
  await form.getByLabel("Start (UTC, custom range)").fill("2020-01-01T00:00");
  await form.getByLabel("End (UTC, custom range)").fill("2020-01-02T00:00");
  await form.getByRole("button", { name: "Look up events" }).click();
  await expect(page.getByText("No events match the lookup.")).toBeVisible();
  await filterForm(page).getByLabel("Time range").selectOption({ label: "Last hour" });
  await filterForm(page).getByRole("button", { name: "Look up events" }).click();
  await expect(events(page).getByRole("row").filter({ hasText: /CreateGroup/ })).toHaveCount(1);
});

/** The body of the download behind `link`: a real download when hydrated, a fetch without JS. */
async function downloadBody(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const link = page.getByRole("link", { name });
  const href = (await link.getAttribute("href"))!;
  const answer = await page.request.get(href);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-disposition"]).toMatch(/^attachment; filename="event-history-/);
  if (!hydrated(testInfo)) return answer.text();
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^event-history-.*\.(csv|json)$/);
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  return readFileSync(path, "utf8");
}

test("Download gives the current filter as CSV and JSON", async ({ page }, testInfo) => {
  await lookUp(page, testInfo, "Resource name", groupName);
  await expect(events(page).getByRole("row").filter({ hasText: /CreateGroup/ })).toHaveCount(1);

  const csv = await downloadBody(page, testInfo, "Download CSV");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toContain("Event time,Event name,Event source,User name");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("CreateGroup");
  expect(lines[1]).toContain(groupName);
  expect(csv).not.toContain(ROOT_PASSWORD);

  const json = JSON.parse(await downloadBody(page, testInfo, "Download JSON"));
  expect(json.Records).toHaveLength(1);
  expect(json.Records[0].eventName).toBe("CreateGroup");
  expect(json.Records[0].userIdentity.type).toBe("Root");
  expect(json.Records[0].resources[0]).toMatchObject({ type: "AWS::IAM::Group", name: groupName });
  expect(JSON.stringify(json)).not.toContain(ROOT_PASSWORD);
});
