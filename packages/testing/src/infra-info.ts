/** Where the real infrastructure of a test run is; provided once by the global setup, injected by tests. */
export interface InfraInfo {
  kafkaBrokers: string[];
  s3: {
    endpoint: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
    forcePathStyle: boolean;
    bucket: string;
  };
  /** PostgreSQL for tests that run on it as well as on PGlite; absent when no server is configured. */
  databaseUrl: string | undefined;
}

declare module "vitest" {
  export interface ProvidedContext {
    infra: InfraInfo;
  }
}
