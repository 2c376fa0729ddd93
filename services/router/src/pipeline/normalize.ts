import type { Complaint, HotlineReceived, IntakeReceived, MediaReceived, WireReporter } from "@clueline/contracts";

export type ChannelEvent = HotlineReceived | IntakeReceived | MediaReceived;

/** The router sees a real-name reporter only as the keyed merge hash; the sealed identity stays in the event. */
function reporterOf(reporter: WireReporter): Complaint["reporter"] {
  return reporter.kind === "real-name" ? { kind: "real-name", hash: reporter.hash } : { kind: "anonymous" };
}

/** The text the routing rules read: what the operator wrote down, what the reporter wrote, what the media said. */
function textOf(event: ChannelEvent): string {
  switch (event.channel) {
    case "hotline":
      return event.summary;
    case "intake":
      return event.serviceHall ? `${event.serviceHall.hall}${event.serviceHall.window ?? ""}：${event.text}` : event.text;
    case "media":
      return event.program ? `【${event.program}】${event.excerpt}` : event.excerpt;
  }
}

/**
 * Maps one channel event to the `Complaint` of DESIGN §6.
 *
 * @example
 * const complaint = normalize(hotlineReceivedTopic.parse(record).data);
 */
export function normalize(event: ChannelEvent): Complaint {
  const complaint: Complaint = {
    id: event.complaintId,
    channel: event.channel,
    receivedAt: event.receivedAt,
    text: textOf(event),
    reporter: reporterOf(event.reporter),
  };
  if (event.subjects) complaint.subjects = event.subjects;
  if (event.categoryHints && event.categoryHints.length > 0) complaint.categoryHints = event.categoryHints;
  if (event.channel === "media") {
    complaint.media = {
      ...(event.reach === undefined ? {} : { reach: event.reach }),
      ...(event.program === undefined ? {} : { program: event.program }),
    };
  }
  return complaint;
}
