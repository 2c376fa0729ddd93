import { type ServiceName, serviceNames } from "../e2e/system-under-test.js";
import type { OperationKey, SweepIds } from "./expected-access.js";
import type { JsonSchema } from "./schema-arbitrary.js";

const methods = ["get", "post", "put", "patch", "delete"] as const;

export interface DocumentedOperation {
  key: OperationKey;
  service: ServiceName;
  method: Uppercase<(typeof methods)[number]>;
  /** As the document writes it, with `{param}` placeholders. */
  path: string;
  /** The operation's `security` requirement names, e.g. `["bearer"]`; empty when it declares none. */
  security: string[];
  /** The operation object as written, and the whole document its `$ref`s point into (for the fuzzing). */
  operation: OpenApiOperation;
  document: OpenApiDocument;
}

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  security?: Record<string, unknown>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths?: Record<string, Partial<Record<string, OpenApiOperation>>>;
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
          const key = `${service} ${method} ${path}` as OperationKey;
          return [{ key, service, method, path, security, operation, document }];
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
