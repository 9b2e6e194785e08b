import { defineConfig } from "@playwright/test";

// scripts/e2e.sh starts one server per project on a fresh database and passes their addresses and
// log files here. Each project runs the same specs: hydrated on SQLite, and with JavaScript
// disabled on PostgreSQL, so the whole suite covers both backends.
const hydratedUrl = process.env.E2E_HYDRATED_URL ?? "http://127.0.0.1:3000";
const nojsUrl = process.env.E2E_NOJS_URL ?? "http://127.0.0.1:3002";

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "hydrated",
      // One spec file at a time per server, in name order: foundation.spec.ts sets root up first.
      workers: 1,
      use: { baseURL: hydratedUrl, javaScriptEnabled: true },
      metadata: { serverLog: process.env.E2E_HYDRATED_LOG ?? "", database: process.env.E2E_HYDRATED_DB ?? "" },
    },
    {
      name: "no-js",
      workers: 1,
      use: { baseURL: nojsUrl, javaScriptEnabled: false },
      metadata: { serverLog: process.env.E2E_NOJS_LOG ?? "", database: process.env.E2E_NOJS_DB ?? "" },
    },
  ],
});
