import QueueDeckDomain

/// One JSON line of a help centre's or a bot's feed (README "Self-service"):
/// `{"at":"2026-11-24T09:00:00Z","who":"ilze@inbox.lv","what":"article","subject":"Resetting your password","id":"kb-1-77"}`
/// — `what` is `article` (a knowledge-base article read) or `bot` (a bot's answer accepted); `at`
/// as for chat lines; `id`, the feed's own unique id, optional (else the line itself is the key).
public enum SelfServiceLine {
    public static func parse(_ line: Substring, file: String, lineNumber: Int, offset: Int64,
                             window: ClosedRange<Instant>) throws(IntakeInputError) -> (record: SelfServiceRecord, at: Instant) {
        let json = try JSONLine(line, file: file, lineNumber: lineNumber, offset: offset)
        guard let given = try json.string("who") else { throw json.fail("who", "missing") }
        let who = given.trimmingWhitespace()
        guard !who.isEmpty else { throw json.fail("who", "empty; an address, a phone number or a visitor id") }
        guard who.count <= 320 else { throw json.fail("who", "\(who.count) characters; a user is at most 320 (an address, a number, a visitor id)") }
        guard who.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value) }) else {
            throw json.fail("who", "holds control characters")
        }
        guard let whatName = try json.string("what") else { throw json.fail("what", "missing") }
        guard let kind = SelfServiceRecord.Kind(rawValue: whatName) else {
            throw json.fail("what", "'\(whatName.prefix(40))' is not one of \(SelfServiceRecord.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let at = try json.time("at", window: window)
        let subject = try json.string("subject") ?? ""
        guard subject.count <= 2000 else { throw json.fail("subject", "\(subject.count) characters; an article's title or a question is at most 2,000") }
        let key: String
        if let id = try json.string("id") {
            guard !id.isEmpty, id.utf8.count <= 200 else { throw json.fail("id", "must be 1 to 200 bytes") }
            key = "ss:" + id
        } else {
            key = "ss:sha:" + Digest.hex(Array(line.utf8))
        }
        return (SelfServiceRecord(key: key, user: who, kind: kind, subject: subject), at)
    }
}
