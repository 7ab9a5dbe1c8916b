import Foundation
import QueueDeckDomain
import QueueDeckMail

/// One JSON line of a chat system's transcript stream (README "Chat transcripts"):
/// `{"type":"start","session":"s-1","at":"2026-11-24T09:00:00Z","visitor":{"name":"Ann","email":"a@x"},"subject":"...","queue":"support"}`
/// `{"type":"visitor"|"agent","session":"s-1","at":...,"agent":"anna","text":"..."}`
/// `{"type":"end"|"left","session":"s-1","at":...}` — `at` is ISO 8601 or Unix seconds.
public enum ChatTranscriptLine {
    /// 3000-01-01T00:00:00Z in Unix seconds: later is a mistake, not a time.
    public static let latestSeconds = 32_503_680_000.0

    /// `window`: the times a line may carry (from a year before the journal was created to a day
    /// ahead of now); anything else is a mistake in the feed, named, never stored as 1970 or 9999.
    public static func parse(_ line: Substring, file: String, lineNumber: Int, offset: Int64,
                             window: ClosedRange<Instant> = Instant(ms: 1)...Instant(ms: Int64(latestSeconds * 1000))) throws(IntakeInputError) -> ChatLine {
        func fail(_ field: String, _ problem: String) -> IntakeInputError {
            IntakeInputError(file: file, line: lineNumber, offset: offset, field: field, problem: problem)
        }
        let object: [String: Any]
        do {
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { throw fail("line", "not a JSON object") }
            object = o
        } catch let e as IntakeInputError {
            throw e
        } catch {
            throw fail("line", "not JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "syntax error"))")
        }
        func string(_ k: String) throws(IntakeInputError) -> String? {
            guard let v = object[k], !(v is NSNull) else { return nil }
            guard let s = v as? String else { throw fail(k, "must be a string") }
            return s
        }
        guard let typeName = try string("type") else { throw fail("type", "missing") }
        guard let kind = ChatLine.Kind(rawValue: typeName) else {
            throw fail("type", "'\(typeName.prefix(40))' is not one of \(ChatLine.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let session = try string("session"), !session.isEmpty else { throw fail("session", "missing") }
        let at: Instant
        switch object["at"] {
        case let n as NSNumber where !(n is Bool):
            // Unix seconds, range-checked before any conversion: 1e300 must be an error, not a trap.
            let seconds = n.doubleValue
            guard seconds.isFinite, seconds > 0, seconds < ChatTranscriptLine.latestSeconds else {
                throw fail("at", "\(n) is not a time in Unix seconds (from 1970 to the year 3000)")
            }
            at = Instant(ms: Int64(seconds * 1000))
        case let s as String:
            guard let i = WhenParser.absolute(s), i.ms > 0 else {
                throw fail("at", "'\(s.prefix(40))' is not an ISO 8601 time (2026-11-24T09:00:00Z) or Unix seconds")
            }
            at = i
        case nil: throw fail("at", "missing")
        default: throw fail("at", "must be an ISO 8601 time or Unix seconds")
        }
        guard window.contains(at) else {
            throw fail("at", "\(at.isoUTC) is outside \(window.lowerBound.isoUTC) … \(window.upperBound.isoUTC) (a year before the desk began to a day from now)")
        }
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
