import { expect, test } from "@playwright/test";
import { ready, restartServer, signInAsRoot, watchForPageErrors } from "./support";

// ../shared/seeds/creating-first-delegated-user-and-group.md, steps 1-12, in its words: the policy
// PowerUserExampleCorp imported from PowerUserAccess, and the group PowerUsers with it.
test.describe.configure({ mode: "serial" });

const DESCRIPTION = "Allows full access to all services except those for user management";

test("tutorial steps 1-12: the PowerUserExampleCorp policy and the PowerUsers group", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);

  // 1. Sign in and open the console.
  await signInAsRoot(page, testInfo);
  // policies.spec.ts runs before this file on the same server and makes (and edits) its own
  // PowerUserExampleCorp; the tutorial starts from an account without it.
  const account = (await (await page.request.get("/api/whoami")).json()).account_id as string;
  const existing = await page.request.post("/api/delete_policy", {
    headers: { Origin: new URL(testInfo.project.use.baseURL!).origin },
    form: { arn: `arn:aws:iam::${account}:policy/PowerUserExampleCorp`, confirm: "PowerUserExampleCorp" },
    maxRedirects: 0,
  });
  expect([200, 302, 404]).toContain(existing.status());
  await page.goto("/");
  await ready(page, testInfo);
  const nav = page.getByRole("navigation", { name: "Navigation" });

  // 2. In the navigation pane, choose Policies.
  await nav.getByRole("link", { name: "Policies" }).click();
  await expect(page.getByRole("heading", { name: "Policies", exact: true })).toBeVisible();
  await ready(page, testInfo);

  // 3. Choose Create policy.
  await page.getByRole("link", { name: "Create policy" }).click();
  await expect(page.getByRole("heading", { name: "Create policy" })).toBeVisible();
  await ready(page, testInfo);

  // 4. Choose the JSON tab, then Import managed policy.
  await page.getByRole("tab", { name: "JSON" }).click();
  await page.getByRole("button", { name: "Import managed policy" }).click();
  await ready(page, testInfo);

  // 5. In the Import managed policies window, type power; choose the PowerUserAccess row.
  const dialog = page.getByRole("dialog", { name: "Import managed policies" });
  await dialog.getByLabel("Filter policies").fill("power");
  await dialog.getByRole("button", { name: "Search" }).click();
  await ready(page, testInfo);
  await expect(dialog.getByRole("radio", { name: "AWSCodeCommitPowerUser" })).toBeVisible();
  await expect(dialog.getByRole("radio", { name: "ReadOnlyAccess", exact: true })).toHaveCount(0);
  await dialog.getByRole("radio", { name: "PowerUserAccess", exact: true }).check();

  // 6. Choose Import to display the policy in the JSON tab.
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(page.getByLabel("Policy editor")).toHaveValue(/"NotAction"/);
  await ready(page, testInfo);

  // 7. Choose Next: Tags and then Next: Review.
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await ready(page, testInfo);
  await page.getByRole("button", { name: "Next: Review" }).click();
  await expect(page.getByRole("heading", { name: "Review policy" })).toBeVisible();
  await ready(page, testInfo);

  // 8. Name PowerUserExampleCorp, the description, then Create policy.
  const review = page.getByRole("form", { name: "Review policy" });
  await review.getByLabel("Name", { exact: true }).fill("PowerUserExampleCorp");
  await review.getByLabel("Description").fill(DESCRIPTION);
  await review.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByRole("status")).toContainText("PowerUserExampleCorp");
  await ready(page, testInfo);

  // 9. In the navigation pane, choose User groups and then Create group.
  await nav.getByRole("link", { name: "User groups" }).click();
  await expect(page.getByRole("heading", { name: "User groups", exact: true })).toBeVisible();
  await ready(page, testInfo);
  await page.getByRole("link", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { name: "Create user group" })).toBeVisible();
  await ready(page, testInfo);

  // 10. In the User group name box, type PowerUsers.
  const form = page.getByRole("form", { name: "Create user group" });
  await form.getByLabel("User group name").fill("PowerUsers");

  // 11. In the list of policies, select the check box next to PowerUserExampleCorp.
  const policies = form.getByRole("group", { name: "Attach permissions policies - Optional" });
  await policies.getByLabel("Filter policies").fill("PowerUserExampleCorp");
  await policies.getByRole("button", { name: "Search" }).click();
  await ready(page, testInfo);
  const row = policies.getByRole("row", { name: /PowerUserExampleCorp/ });
  await expect(row).toContainText("Customer managed");
  await expect(row).toContainText(DESCRIPTION);
  await policies.getByRole("checkbox", { name: "PowerUserExampleCorp", exact: true }).check();

  // 12. Choose Create group: PowerUsers is listed with its one permissions policy.
  await form.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("status")).toHaveText("User group PowerUsers created.");
  const listed = page
    .getByRole("table", { name: "User groups" })
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: "PowerUsers", exact: true }) });
  await expect(listed.getByRole("cell")).toHaveText(["PowerUsers", "0", "1", /UTC$/]);

  // What was stored, read back by a fresh page load: the group's details show the policy attached.
  await page.goto("/groups/details?name=PowerUsers&tab=permissions");
  await ready(page, testInfo);
  await expect(page.getByRole("heading", { name: "PowerUsers", exact: true })).toBeVisible();
  await expect(page.getByTestId("group-arn")).toHaveText(/^arn:aws:iam::\d{12}:group\/PowerUsers$/);
  const attached = page.getByRole("table", { name: "Permissions policies" }).getByRole("row", { name: /PowerUserExampleCorp/ });
  await expect(attached).toContainText("Customer managed");
  // The policy's name leads to the policy, which counts the group among its entities.
  await attached.getByRole("link", { name: "PowerUserExampleCorp" }).click();
  await expect(page.getByRole("heading", { name: "PowerUserExampleCorp" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("what the tutorial made survives a server restart, and so does the session", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await restartServer(testInfo);

  // The same browser session (a row in the database, not server memory) still works.
  await page.goto("/groups/details?name=PowerUsers&tab=permissions");
  await ready(page, testInfo);
  await expect(page.getByRole("heading", { name: "PowerUsers", exact: true })).toBeVisible();
  const attached = page.getByRole("table", { name: "Permissions policies" }).getByRole("row", { name: /PowerUserExampleCorp/ });
  await expect(attached).toContainText("Customer managed");
  await attached.getByRole("link", { name: "PowerUserExampleCorp" }).click();
  await expect(page.getByRole("heading", { name: "PowerUserExampleCorp" })).toBeVisible();
  await expect(page.getByText(DESCRIPTION).first()).toBeVisible();
  expect(errors).toEqual([]);
});
