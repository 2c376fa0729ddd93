import { type ServiceName, serviceNames } from "../e2e/system-under-test.js";
import type { OperationKey, SweepIds } from "./expected-access.js";

const methods = ["get", "post", "put", "patch", "delete"] as const;

export interface DocumentedOperation {
  key: OperationKey;
  service: ServiceName;
  method: Uppercase<(typeof methods)[number]>;
  /** As the document writes it, with `{param}` placeholders. */
  path: string;
  /** The operation's `security` requirement names, e.g. `["bearer"]`; empty when it declares none. */
  security: string[];
}

interface OpenApiDocument {
  paths?: Record<string, Partial<Record<string, { security?: Record<string, unknown>[] }>>>;
}

/**
 * Every operation each service's own `GET /openapi.json` describes: the sweep's source of truth, so a route
 * added to a service is swept (and must be classified) without anyone remembering to.
 */
export async function documentedOperations(urls: Record<ServiceName, string>): Promise<DocumentedOperation[]> {
  const perService = await Promise.all(
    serviceNames.map(async (service) => {
      const response = await fetch(`${urls[service]}/openapi.json`);
      if (!response.ok) throw new Error(`${service} /openapi.json answered ${response.status}`);
      const document = (await response.json()) as OpenApiDocument;
      return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
        methods.flatMap((lower) => {
          const operation = item[lower];
          if (!operation) return [];
          const method = lower.toUpperCase() as DocumentedOperation["method"];
          const security = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
          return [{ key: `${service} ${method} ${path}` as OperationKey, service, method, path, security }];
        }),
      );
    }),
  );
  return perService.flat();
}

/** Fills `{param}` placeholders from the sweep's ids; an unknown parameter must be given a value first. */
export function fillPath(path: string, ids: SweepIds): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = (ids as unknown as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`no value for path parameter {${name}} of ${path}: add one to SweepIds`);
    return encodeURIComponent(value);
  });
}
