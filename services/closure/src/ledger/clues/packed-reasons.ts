/**
 * A routing decision's reasons as a clue row keeps them (`clues.reasons_packed`, migration 015): JSON text, one
 * `[rule, detail]` or `[rule, detail, matched]` tuple per reason instead of an object that spells its keys, and each
 * matched term the prose repeats written as `%0` … `%9` (its place in `matched`; a `%` of the prose as `%%`). About
 * 280 B where the jsonb objects took about 560 (the router's reasons for its bench's complaints). Lossless: a
 * reason (an object, as the contract has them) packs only if it unpacks to itself; one of any other shape is kept as
 * it is.
 *
 * @example
 * packReasons([{ rule: 4, detail: "one unit proposed: town-a leads", matched: ["town-a"] }]);
 * // '[[4,"one unit proposed: %0 leads",["town-a"]]]'
 */
export function packReasons(reasons: readonly unknown[]): string {
  return JSON.stringify(reasons.map(packReason));
}

/** The reasons {@link packReasons} packed, each an object with `rule`, `detail` and, when given, `matched`. */
export function unpackReasons(packed: string): Record<string, unknown>[] {
  const items: unknown = JSON.parse(packed);
  if (!Array.isArray(items)) throw new Error("packed reasons are not an array");
  return items.map((item) => (Array.isArray(item) ? unpackTuple(item) : (item as Record<string, unknown>)));
}

type Tuple = [rule: unknown, detail: string] | [rule: unknown, detail: string, matched: string[]];

const packable = (reason: unknown): reason is { rule: number | string; detail: string; matched?: string[] } => {
  if (typeof reason !== "object" || reason === null || Array.isArray(reason)) return false;
  const { rule, detail, matched, ...rest } = reason as Record<string, unknown>;
  return (
    Object.keys(rest).length === 0 &&
    (typeof rule === "number" || typeof rule === "string") &&
    typeof detail === "string" &&
    (matched === undefined || (Array.isArray(matched) && matched.every((term) => typeof term === "string")))
  );
};

function packReason(reason: unknown): unknown {
  if (!packable(reason)) return reason;
  const { rule, detail, matched } = reason;
  const tuple: Tuple = matched === undefined ? [rule, packDetail(detail, [])] : [rule, packDetail(detail, matched), matched];
  const back = unpackTuple(tuple);
  const same = back.rule === rule && back.detail === detail && "matched" in back === (matched !== undefined);
  return same ? tuple : reason;
}

function unpackTuple(tuple: unknown[]): Record<string, unknown> {
  const [rule, detail, matched] = tuple as Tuple;
  if (matched === undefined) return { rule, detail: unpackDetail(detail, []) };
  return { rule, detail: unpackDetail(detail, matched), matched };
}

/** Only terms longer than their two-character mark are worth one; the longest at each place wins. */
function packDetail(detail: string, matched: readonly string[]): string {
  const terms = matched
    .slice(0, 10)
    .map((term, index) => ({ term, mark: `%${index}` }))
    .filter(({ term }) => Buffer.byteLength(term) > 2)
    .sort((a, b) => b.term.length - a.term.length);
  let out = "";
  for (let at = 0; at < detail.length; ) {
    const hit = terms.find(({ term }) => detail.startsWith(term, at));
    if (hit) {
      out += hit.mark;
      at += hit.term.length;
    } else {
      out += detail[at] === "%" ? "%%" : detail[at];
      at += 1;
    }
  }
  return out;
}

function unpackDetail(packed: string, matched: readonly string[]): string {
  if (!packed.includes("%")) return packed;
  return packed.replace(/%(%|\d)/g, (_, mark: string) => {
    if (mark === "%") return "%";
    const term = matched[Number(mark)];
    if (term === undefined) throw new Error(`packed reason names matched term ${mark} of ${matched.length}`);
    return term;
  });
}
