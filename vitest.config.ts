import { defineConfig } from "vitest/config";

// Workspace packages export their TypeScript source under the "source" condition, so tests run on
// src/ directly and never need a build first (plain `node` runs dist/ after `npm run build`).
const conditions = ["source", "node"];
const everywhere = ["packages/*/src/**", "services/*/src/**", "test/**"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  test: {
    reporters: ["default", "./packages/testing/src/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // Pure logic: no broker, store or database.
          include: everywhere.map((dir) => `${dir}/*.test.ts`),
          exclude: ["**/*.it.test.ts", "**/node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          // Against the real Kafka, S3 and PostgreSQL that infra/ starts (see packages/testing).
          include: everywhere.map((dir) => `${dir}/*.it.test.ts`),
          globalSetup: ["packages/testing/src/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "faults",
          // kill -9 of a private broker, the router and the closure service under load (minutes; PostgreSQL).
          include: ["test/faults/*.fault-test.ts"],
          globalSetup: ["packages/testing/src/global-setup.ts"],
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
