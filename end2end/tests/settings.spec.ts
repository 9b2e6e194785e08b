import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { hydrated, ready, signInAsRoot, watchForPageErrors } from "./support";

// Account settings: the password policy (edit, ranges refused at the field, reset to the IAM
// default) and the account alias (rules refused at the field, the sign-in URL, delete). The test
// leaves the account as it found it: no custom policy, no alias.
test.describe.configure({ mode: "serial" });

let errors: string[] = [];

test.beforeEach(async ({ page }, testInfo) => {
  errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
});

test.afterEach(() => {
  expect(errors).toEqual([]);
});

function policyPanel(page: Page) {
  return page.getByRole("region", { name: "Password policy" });
}

function aliasPanel(page: Page) {
  return page.getByRole("region", { name: "Account alias" });
}

async function openSettings(page: Page, testInfo: TestInfo) {
  await page.goto("/");
  await ready(page, testInfo);
  await page.getByRole("navigation", { name: "Navigation" }).getByRole("link", { name: "Account settings" }).click();
  await expect(page.getByRole("heading", { name: "Account settings" })).toBeVisible();
  await ready(page, testInfo);
}

async function openPolicyEditor(page: Page, testInfo: TestInfo) {
  await openSettings(page, testInfo);
  await policyPanel(page).getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: "Edit password policy" })).toBeVisible();
  await ready(page, testInfo);
  return page.getByRole("form", { name: "Edit password policy" });
}

function rules(page: Page) {
  return policyPanel(page).getByRole("list", { name: "Password policy rules" });
}

test("the IAM default policy is shown, and a custom one can be set", async ({ page }, testInfo) => {
  await openSettings(page, testInfo);
  await expect(policyPanel(page)).toContainText("IAM default password policy");
  await expect(policyPanel(page)).toContainText("at least 8 characters and three of the four character types");
  await expect(policyPanel(page)).toContainText("10,000 most common passwords");

  const form = await openPolicyEditor(page, testInfo);
  await expect(form.getByLabel("Password minimum length")).toHaveValue("8");
  await expect(form.getByLabel("Allow users to change their own password")).toBeChecked();
  await expect(form).toContainText("! @ # $ % ^ & * ( ) _ + - = [ ] { } | '");
  await form.getByLabel("Password minimum length").fill("10");
  await form.getByLabel("Require at least one number (0-9)").check();
  await form.getByLabel(/^Require at least one non-alphanumeric character/).check();
  await form.getByLabel("Prevent password reuse").check();
  await form.getByLabel("Number of passwords to remember").fill("3");
  await form.getByRole("button", { name: "Save changes" }).click();

  await expect(page.getByRole("status")).toHaveText("Password policy updated.");
  await expect(policyPanel(page)).toContainText("custom password policy");
  await expect(rules(page)).toContainText("10 to 128 characters");
  await expect(rules(page)).toContainText("at least one number (0-9)");
  await expect(rules(page)).toContainText("at least one symbol");
  await expect(rules(page)).toContainText("not one of your last 3 passwords");
  await expect(rules(page)).not.toContainText("uppercase");
  await expect(rules(page)).not.toContainText("expires");

  // The editor starts from the policy in force.
  const again = await openPolicyEditor(page, testInfo);
  await expect(again.getByLabel("Password minimum length")).toHaveValue("10");
  await expect(again.getByLabel("Require at least one number (0-9)")).toBeChecked();
  await expect(again.getByLabel("Require at least one uppercase letter from the Latin alphabet (A-Z)")).not.toBeChecked();
  await expect(again.getByLabel("Prevent password reuse")).toBeChecked();
  await expect(again.getByLabel("Number of passwords to remember")).toHaveValue("3");
});

test("values out of AWS's ranges are refused at their fields, keeping the input", async ({ page }, testInfo) => {
  const form = await openPolicyEditor(page, testInfo);
  await form.getByLabel("Password minimum length").fill("200");
  await form.getByLabel("Enable password expiration").check();
  await form.getByLabel("Expiration period in days").fill("2000");
  await form.getByRole("button", { name: "Save changes" }).click();

  const back = page.getByRole("form", { name: "Edit password policy" });
  await expect(page.locator("#policy-min-length-error")).toContainText("`200` is not between 6 and 128");
  await expect(page.locator("#policy-max-age-error")).toContainText("`2000` is not between 1 and 1095");
  await expect(back.getByLabel("Password minimum length")).toHaveAttribute("aria-invalid", "true");
  await expect(back.getByLabel("Password minimum length")).toHaveValue("200");
  await expect(back.getByLabel("Expiration period in days")).toHaveValue("2000");
  await expect(back.getByLabel("Enable password expiration")).toBeChecked();
  await expect(back.getByLabel("Require at least one number (0-9)")).toBeChecked();
  await expect(back.getByLabel("Number of passwords to remember")).toHaveValue("3");

  // Nothing was saved.
  await openSettings(page, testInfo);
  await expect(rules(page)).toContainText("10 to 128 characters");
  await expect(rules(page)).not.toContainText("expires");
});

test("the account alias: rules at the field, the sign-in URL, delete", async ({ page, browser }, testInfo) => {
  const alias = `examplecorp-${hydrated(testInfo) ? "hydrated" : "nojs"}-${Date.now().toString(36)}`;
  await openSettings(page, testInfo);
  const accountId = (await aliasPanel(page).getByTestId("account-id").textContent())!.trim();
  expect(accountId).toMatch(/^\d{12}$/);
  await expect(aliasPanel(page).getByTestId("sign-in-url")).toHaveText(new RegExp(`/signin/${accountId}$`));

  await aliasPanel(page).getByRole("link", { name: /^(Create|Edit)$/ }).click();
  await ready(page, testInfo);
  const aliasField = () => page.getByLabel("Preferred alias");
  for (const [bad, reason] of [
    ["Bad_Alias", "contains `B`"],
    ["123456789012", "12 digits"],
  ]) {
    await aliasField().fill(bad);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.locator("#account-alias-error")).toContainText(`\`${bad}\``);
    await expect(page.locator("#account-alias-error")).toContainText(reason);
    await expect(aliasField()).toHaveValue(bad);
    await expect(aliasField()).toHaveAttribute("aria-invalid", "true");
    await ready(page, testInfo);
  }
  await aliasField().fill(alias);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toHaveText("Account alias saved.");
  await expect(aliasPanel(page).getByTestId("account-alias")).toHaveText(alias);
  await expect(aliasPanel(page).getByTestId("sign-in-url")).toHaveText(new RegExp(`^http://[^/]+/signin/${alias}$`));
  const signInUrl = (await aliasPanel(page).getByTestId("sign-in-url").textContent())!;

  // The dashboard's sign-in URL uses the alias too.
  await page.goto("/");
  await ready(page, testInfo);
  await expect(page.getByTestId("sign-in-url")).toHaveText(signInUrl);

  // The sign-in URL pre-fills the account on the IAM user form.
  const visitor = await browser.newContext({ javaScriptEnabled: hydrated(testInfo) });
  const signIn = await visitor.newPage();
  await signIn.goto(signInUrl);
  await expect(signIn.getByRole("form", { name: "IAM user sign-in" }).getByLabel("Account ID (12 digits) or account alias")).toHaveValue(alias);
  await visitor.close();

  // Delete, after confirmation: the URL names the account id again.
  await openSettings(page, testInfo);
  await aliasPanel(page).getByRole("link", { name: "Delete" }).click();
  await expect(page.getByRole("heading", { name: "Delete the account alias?" })).toBeVisible();
  await expect(page.getByText(`sign in with the alias ${alias}`)).toBeVisible();
  await ready(page, testInfo);
  await page.getByRole("form", { name: "Delete account alias" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toHaveText("Account alias deleted.");
  await expect(aliasPanel(page).getByTestId("account-alias")).toHaveText("None");
  await expect(aliasPanel(page).getByTestId("sign-in-url")).toHaveText(new RegExp(`/signin/${accountId}$`));
  await expect(aliasPanel(page).getByRole("link", { name: "Create" })).toBeVisible();
});

test("reset the password policy to the IAM default, after confirmation", async ({ page }, testInfo) => {
  await openSettings(page, testInfo);
  await policyPanel(page).getByRole("link", { name: "Reset to default" }).click();
  await expect(page.getByRole("heading", { name: "Reset the password policy to the IAM default?" })).toBeVisible();
  await ready(page, testInfo);
  await page.getByRole("form", { name: "Reset password policy" }).getByRole("button", { name: "Reset to default" }).click();
  await expect(page.getByRole("status")).toHaveText("The password policy is reset to the IAM default.");
  await expect(policyPanel(page)).toContainText("IAM default password policy");
  await expect(rules(page)).toContainText("8 to 128 characters");
  await expect(policyPanel(page).getByRole("link", { name: "Reset to default" })).toHaveCount(0);
});
