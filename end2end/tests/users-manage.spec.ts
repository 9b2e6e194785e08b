import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { ready, signInAsRoot, watchForPageErrors } from "./support";

// Managing a user from their details page: Delete after typing the name (a wrong name is refused at
// the field), the user leaves the Users list, and a session of theirs ends at once.
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
