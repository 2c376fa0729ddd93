/**
 * Preset dictionaries for the compressed `ClueRouted` texts of migration 6, by the number a stored value starts with.
 * A value is read back with the dictionary it was written with, so a dictionary is never edited once shipped (a test
 * pins each one's hash): to change what new values use, add the next number and make it `currentRoutedDictionary`.
 *
 * What a value repeats from every other: its JSON keys and constants, and the sentences of the router's reasons, which
 * deflate would otherwise spell out in full in each value. Deflate reaches back 8 KiB here (`compressRouted`), so a
 * dictionary stays well under that; the likeliest parts come last, where a match is nearest and cheapest to write.
 */
export const routedDictionaries: ReadonlyMap<number, Buffer> = new Map([[1, Buffer.from(dictionary1())]]);

/** The dictionary new values are written with. */
export const currentRoutedDictionary = 1;

/** Dictionary 1 (router version 6). */
function dictionary1(): string {
  return [
    // Reasons of the rarer rules (transfers, senior ranks, media reach, re-routings, rule 10) and the rarer shapes.
    " (not applied: the clue is transferred)",
    '"},{"rule":3,"detail":"transfer to  recorded beside the lead inside the district"},{"rule":3,"detail":"a person of rank ',
    " is named: the whole clue is transferred to city-commission; dc is informed",
    '"},{"rule":3,"detail":"every subject is outside the district: transferred to city-commission; dc is informed',
    '"},{"rule":5,"detail":"a person of senior rank  is named","matched":["',
    '"},{"rule":5,"detail":"media exposure reached  (threshold ',
    '"},{"rule":5,"detail":"category  escalates","matched":["',
    '"},{"rule":10,"detail":"service clue : crossed policy.conductFromService: a discipline clue about the department',
    '"},{"rule":"classification","detail":"the district commission classified the clue as  (分办): routed again by the rules',
    '"reroute":{"of":"01',
    '","cause":"classification"}',
    '"},{"rule":1,"detail":"no category chosen, no keyword matched, no example close enough: nature unclassified"},',
    '{"rule":7,"detail":"unclassified: dc leads for triage (分办)"}',
    '"},{"rule":2,"detail":"subjects given by the channel: ',
    '" is not in the directory; ignored"},{"rule":1,"detail":"operator category "',
    " is not in the taxonomy; ignored: the operator chose it",
    '"},{"rule":4,"detail":"several units proposed (室组地联动): dc leads, ',
    " assist",
    '"},{"rule":7,"detail":"no department named and no owning category: dept-biz leads (serviceFallback)',
    '"},{"rule":7,"detail":"no department named:  leads as owner of ',
    '"},{"rule":7,"detail":"each department subject leads its own service assignment: dept-',
    '"},{"rule":7,"detail":"dept-biz is informed (serviceOverseer)"}',
    '"},{"rule":5,"detail":"3rd clue about department:dept- within 30 days","matched":["department:dept-',
    '"},{"rule":5,"detail":"2nd clue about town: within 30 days","matched":["town:',
    '"transfer":{"to":"city-commission","alsoTo":[],"informed":["dc"]},',
    '"service":{"lead":"dept-","coLeads":[],"informed":["dc"]},',
    '"sealedOriginal":{"alg":"A256GCM","keyId":"","iv":"","tag":"","ciphertext":"","v":2},',
    '"subjects":{"departments":["dept-"],"towns":[""],"persons":[{"name":"","rank":"town-secretary"}]},',
    '"evidence":[{"evidenceId":"","sha256":""}],',
    '"origin":{"form":"web"}}}',
    '"origin":{"outlet":"","program":"","url":"https://","reach":',
    '"channel":"intake","receivedAt":"',
    '"channel":"media","receivedAt":"',
    '"reporter":{"kind":"anonymous","receiptHash":"',
    '"nature":"service","categories":["',
    '"nature":"both","categories":["',
    '"nature":"unclassified","categories":[],"subjects":{"departments":[],"towns":[]},"discipline":{"lead":"dc","assist":[],"informed":[]},"service":null,',
    '"},{"rule":1,"detail":"nature service"},',
    '"},{"rule":1,"detail":"nature both"},',
    // The common opening, in the order its keys are written: a discipline clue from the hotline.
    '{"decision":{"decisionId":"01',
    '","complaintId":"","clueId":"01',
    '","nature":"discipline","categories":["',
    '"],"subjects":{"departments":["dept-',
    '"],"towns":["',
    '"]},"discipline":{"lead":"team-',
    '","assist":[],"informed":["dc"]},"service":null,"transfer":null,"mergedInto":null,',
    '"reasons":[{"rule":1,"detail":"category  (',
    ", conduct): close to its examples (similarity 0.2",
    "), nearest example 「",
    "」 (0.3",
    '","matched":["',
    '"]},{"rule":1,"detail":"nature discipline"},',
    '{"rule":2,"detail":"no department or town named"},',
    '{"rule":2,"detail":"subjects found in the text: dept- (区',
    '","matched":["',
    '"]},{"rule":4,"detail":"no unit proposed: dc leads for triage (分办)"}',
    '{"rule":4,"detail":"one unit proposed: team- leads","matched":["team-',
    '"]},{"rule":6,"detail":"dc is informed (central registration 归口管理)"}],',
    '"decidedAt":"2026-',
    'T00:00:00.000Z"},"complaint":{"complaintId":"',
    '","channel":"hotline","receivedAt":"2026-',
    'T00:00:00.000Z","text":"',
    '","reporter":{"kind":"anonymous"},',
    '","reporter":{"kind":"real-name","hash":"',
    '","identity":{"alg":"A256GCM","keyId":"","iv":"","tag":"","ciphertext":""}},',
    '"evidence":[],"origin":{"line":"12345","callId":"',
    '"evidence":[],"origin":{"line":"12388","callId":"call-',
    '"}}}',
  ].join("");
}
