#!/usr/bin/env bash
# Runs one of Kafka's own command-line tools from the cached jars — the same
# tools the release tarball ships as bin/<tool>.sh, by the same names.
#
# Usage: infra/kafka-tool.sh <tool> [args…]
#   infra/kafka-tool.sh kafka-topics --bootstrap-server 127.0.0.1:19092 --list
#   infra/kafka-tool.sh kafka-producer-perf-test --topic t --num-records 100000 \
#       --record-size 512 --throughput -1 --producer-props bootstrap.servers=127.0.0.1:19092 acks=all
#   infra/kafka-tool.sh --list        (the known tools)
# Env: CLUELINE_KAFKA_TOOL_HEAP (default 256m); KAFKA_OPTS (extra JVM options)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# tool name (as in the tarball's bin/) -> main class (Kafka 4.x)
declare -A TOOLS=(
  [kafka-topics]=org.apache.kafka.tools.TopicCommand
  [kafka-console-producer]=org.apache.kafka.tools.ConsoleProducer
  [kafka-console-consumer]=org.apache.kafka.tools.consumer.ConsoleConsumer
  [kafka-console-share-consumer]=org.apache.kafka.tools.consumer.ConsoleShareConsumer
  [kafka-consumer-groups]=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand
  [kafka-share-groups]=org.apache.kafka.tools.consumer.group.ShareGroupCommand
  [kafka-groups]=org.apache.kafka.tools.GroupsCommand
  [kafka-producer-perf-test]=org.apache.kafka.tools.ProducerPerformance
  [kafka-consumer-perf-test]=org.apache.kafka.tools.ConsumerPerformance
  [kafka-broker-api-versions]=org.apache.kafka.tools.BrokerApiVersionsCommand
  [kafka-configs]=org.apache.kafka.tools.ConfigCommand
  [kafka-get-offsets]=org.apache.kafka.tools.GetOffsetShell
  [kafka-delete-records]=org.apache.kafka.tools.DeleteRecordsCommand
  [kafka-log-dirs]=org.apache.kafka.tools.LogDirsCommand
  [kafka-dump-log]=org.apache.kafka.tools.DumpLogSegments
  [kafka-metadata-quorum]=org.apache.kafka.tools.MetadataQuorumCommand
  [kafka-features]=org.apache.kafka.tools.FeatureCommand
  [kafka-transactions]=org.apache.kafka.tools.TransactionsCommand
  [kafka-acls]=org.apache.kafka.tools.AclCommand
  [kafka-cluster]=org.apache.kafka.tools.ClusterTool
  [kafka-verifiable-producer]=org.apache.kafka.tools.VerifiableProducer
  [kafka-verifiable-consumer]=org.apache.kafka.tools.VerifiableConsumer
  [kafka-storage]=kafka.tools.StorageTool
)

tool="${1:-}"
if [[ -z "$tool" || "$tool" == "--list" || "$tool" == "-h" || "$tool" == "--help" ]]; then
  echo "usage: infra/kafka-tool.sh <tool> [args…]; tools:" >&2
  printf '  %s\n' "${!TOOLS[@]}" | sort >&2
  [[ -n "$tool" ]] && exit 0 || exit 2
fi
shift
tool="${tool%.sh}"  # accept the tarball's names too (kafka-topics.sh)
main="${TOOLS[$tool]:-}"
[[ -n "$main" ]] || die "unknown tool '$tool' (infra/kafka-tool.sh --list shows the known ones)"

require_java
# Fetch the jars on first use.
[[ -f "$KAFKA_HOME/.fetch-complete" ]] || "$INFRA_DIR/fetch.sh"

# KAFKA_OPTS is intentionally unquoted: it is a list of JVM options.
# shellcheck disable=SC2086
exec java "-Xmx${CLUELINE_KAFKA_TOOL_HEAP:-256m}" -Djava.awt.headless=true \
  -Dlog4j2.configurationFile="$INFRA_DIR/tools-log4j2.properties" \
  ${KAFKA_OPTS:-} -cp "$KAFKA_HOME/libs/*" "$main" "$@"
