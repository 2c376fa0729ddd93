import type { InfraInfo } from "./infra-info.js";

/**
 * Kafka and MinIO in Docker containers, for users with a Docker engine (CLUELINE_INFRA=testcontainers).
 * Imported lazily so machines without Docker never load the testcontainers stack.
 */
export async function startContainers(
  bucket: string,
): Promise<{ info: Omit<InfraInfo, "databaseUrl">; stop: () => Promise<void> }> {
  const { KafkaContainer } = await import("@testcontainers/kafka");
  const { MinioContainer } = await import("@testcontainers/minio");
  const [kafka, minio] = await Promise.all([
    new KafkaContainer("confluentinc/cp-kafka:7.9.0").withKraft().start(),
    new MinioContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z").start(),
  ]);
  return {
    info: {
      kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
      s3: {
        endpoint: minio.getConnectionUrl(),
        region: "us-east-1",
        accessKeyId: minio.getUsername(),
        secretAccessKey: minio.getPassword(),
        forcePathStyle: true,
        bucket,
      },
    },
    stop: async () => {
      await Promise.all([kafka.stop(), minio.stop()]);
    },
  };
}
