#!/usr/bin/env node
// `npm run token -- --subject op-1 --scope complaint:write [--scope unit:town-chengguan] [--ttl 3600]`
// Prints a bearer token every local service accepts: signed with the development key (.data/dev-token-key.json,
// made by `npm start`) as issuer clueline-dev, for all five services. AUTH_SIGNING_KEY (a private JWK file) and
// AUTH_ISSUER sign for another issuer instead.
import { parseArgs } from "node:util";
import { ALL_AUDIENCES, createDevSigner } from "./dev-tokens.mjs";

const usage = `usage: npm run token -- --subject S --scope X [--scope Y] [--ttl SECONDS] [--audience A]
  --subject   the token's sub (default: dev)
  --scope     a scope (complaint:write, media:write, commission, pii:read, downstream:read, unit:<id>, leader:<id>); repeatable
  --ttl       lifetime in seconds (default 3600, the services' default cap AUTH_MAX_TOKEN_LIFETIME_SECONDS)
  --audience  a service audience such as clueline-closure; repeatable (default: all five services)
`;
let values;
try {
  ({ values } = parseArgs({
    options: {
      subject: { type: "string", default: "dev" },
      scope: { type: "string", multiple: true, default: [] },
      ttl: { type: "string", default: "3600" },
      audience: { type: "string", multiple: true, default: ALL_AUDIENCES },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  process.stderr.write(`${error.message}\n${usage}`);
  process.exit(2);
}
const ttlSeconds = Number(values.ttl);
if (values.help || !Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
  process.stdout.write(usage);
  process.exit(values.help ? 0 : 2);
}
try {
  const token = await createDevSigner().issue({
    subject: values.subject,
    scopes: values.scope,
    audience: values.audience,
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
