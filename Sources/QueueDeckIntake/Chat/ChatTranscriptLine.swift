import Foundation
import QueueDeckDomain
import QueueDeckMail

/// One JSON line of a chat system's transcript stream (README "Chat transcripts"):
/// `{"type":"start","session":"s-1","at":"2026-11-24T09:00:00Z","visitor":{"name":"Ann","email":"a@x"},"subject":"...","queue":"support"}`
/// `{"type":"visitor"|"agent","session":"s-1","at":...,"agent":"anna","text":"..."}`
/// `{"type":"end"|"left","session":"s-1","at":...}` — `at` is ISO 8601 or Unix seconds.
public enum ChatTranscriptLine {
    /// 3000-01-01T00:00:00Z in Unix seconds: later is a mistake, not a time.
    public static let latestSeconds = JSONLine.latestSeconds

    /// `window`: the times a line may carry (from a year before the journal was created to a day
    /// ahead of now); anything else is a mistake in the feed, named, never stored as 1970 or 9999.
    public static func parse(_ line: Substring, file: String, lineNumber: Int, offset: Int64,
                             window: ClosedRange<Instant> = Instant(ms: 1)...Instant(ms: Int64(latestSeconds * 1000))) throws(IntakeInputError) -> ChatLine {
        let json = try JSONLine(line, file: file, lineNumber: lineNumber, offset: offset)
        let object = json.object
        func fail(_ field: String, _ problem: String) -> IntakeInputError { json.fail(field, problem) }
        func string(_ k: String) throws(IntakeInputError) -> String? { try json.string(k) }
        guard let typeName = try string("type") else { throw fail("type", "missing") }
        guard let kind = ChatLine.Kind(rawValue: typeName) else {
            throw fail("type", "'\(typeName.prefix(40))' is not one of \(ChatLine.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let session = try string("session"), !session.isEmpty else { throw fail("session", "missing") }
        let at = try json.time("at", window: window)
        var visitor: Customer?
        if let v = object["visitor"] {
            guard let m = v as? [String: Any] else { throw fail("visitor", "must be an object with name, email, phone") }
            let name = (m["name"] as? String) ?? ""
            let email = (m["email"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            // One mailbox per customer, whatever channel brought them (a comma once smuggled two in).
            if let email, let why = AddrSpec.problem(email) {
                throw fail("visitor.email", "'\(AddrSpec.excerpt(email))' is not one email address: \(why)")
            }
            let phone = (m["phone"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            visitor = Customer(name: name.isEmpty ? email ?? phone ?? "chat visitor" : name, email: email, phone: phone)
        }
        let text = try string("text") ?? ""
        if (kind == .visitor || kind == .agent) && text.isEmpty { throw fail("text", "missing for a \(kind.rawValue) line") }
        let key = "chat:\(session):\(kind.rawValue):\(at.ms):\(Digest.hex(Array(text.utf8)))"
        return ChatLine(kind: kind, session: session, at: at, visitor: visitor, subject: try string("subject"),
                        queue: try string("queue"), agent: try string("agent"), text: text, key: key)
    }
}
