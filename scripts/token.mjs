#!/usr/bin/env node
// `npm run token -- --subject op-1 --scope complaint:write [--scope unit:town-chengguan] [--ttl 3600]`
// Prints a bearer token signed with the development secret (.data/dev-secrets.env, made by `npm start`),
// or with AUTH_JWT_SECRET when set.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";

const { values } = parseArgs({
  options: {
    subject: { type: "string", default: "dev" },
    scope: { type: "string", multiple: true, default: [] },
    ttl: { type: "string", default: "3600" },
  },
});
let secret = process.env.AUTH_JWT_SECRET;
if (!secret) {
  const path = join(dirname(fileURLToPath(import.meta.url)), "../.data/dev-secrets.env");
  const line = readFileSync(path, "utf8")
    .split("\n")
    .find((l) => l.startsWith("AUTH_JWT_SECRET="));
  secret = line?.slice("AUTH_JWT_SECRET=".length);
}
if (!secret) {
  process.stderr.write("no AUTH_JWT_SECRET and no .data/dev-secrets.env: run `npm start` first\n");
  process.exit(2);
}
const now = Math.floor(Date.now() / 1000);
const token = await sign(
  { sub: values.subject, scope: values.scope.join(" "), iat: now, exp: now + Number(values.ttl) },
  secret,
  "HS256",
);
process.stdout.write(`${token}\n`);
