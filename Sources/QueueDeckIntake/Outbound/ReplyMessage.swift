import Foundation
import QueueDeckDomain
import QueueDeckMail

/// An agent's email reply as an RFC 5322 message for `sendmail -t`: From the desk, To the
/// customer, the ticket ID in the subject, threaded by In-Reply-To and References.
public enum ReplyMessage {
    public static func compose(_ m: OutgoingMail, ticket: Ticket, thread: [String], from: String, now: Instant) -> [UInt8] {
        let customerIDs = thread.filter { !$0.hasPrefix("<qdeck.") && $0 != m.messageID }
        let references = Array(thread.filter { $0 != m.messageID }.suffix(20))
        var subject = ticket.subject
        while let rest = subject.index(afterPrefix: ["re:", "aw:", "sv:", "fwd:", "fw:"]) { subject = String(subject[rest...]).trimmingWhitespace() }
        let tag = "[\(ticket.id)]"
        subject += subject.contains(tag) ? "" : " " + tag
        var h: [(String, String)] = [
            ("From", address(from)),
            ("To", address(ticket.customer.name == m.to ? m.to : "\(ticket.customer.name) <\(m.to)>")),
            ("Subject", "Re: " + encode(subject)),
            ("Date", rfc5322Date(now)),
            ("Message-ID", m.messageID),
        ]
        if let last = customerIDs.last { h.append(("In-Reply-To", last)) }
        if !references.isEmpty { h.append(("References", references.joined(separator: "\n "))) }
        h += [("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=utf-8"),
              ("Content-Transfer-Encoding", m.body.utf8.allSatisfy { $0 < 0x80 } ? "7bit" : "8bit"),
              ("X-QueueDeck-Ticket", ticket.id.description)]
        var text = h.map { "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n\n"
        text += m.body.hasSuffix("\n") ? m.body : m.body + "\n"
        return Array(text.utf8)
    }

    /// `Name <addr>` with a non-ASCII name as an RFC 2047 word; control characters (line ends that
    /// would start a header, ESC, NUL) become spaces.
    static func address(_ raw: String) -> String {
        let clean = String(String.UnicodeScalarView(raw.unicodeScalars.map { AddrSpec.isControl($0) ? " " : $0 }))
        guard let lt = clean.lastIndex(of: "<") else { return clean }
        let name = String(clean[..<lt]).trimmingWhitespace()
        let addr = String(clean[lt...])
        if name.isEmpty { return addr }
        if name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "\"" + name.replacingQuotes() + "\" " + addr
        }
        return encode(name) + " " + addr
    }

    /// Header text as-is when ASCII, else RFC 2047 base64 words of at most 45 bytes each.
    static func encode(_ s: String) -> String {
        let clean = s.filter { $0 != "\r" && $0 != "\n" }
        if clean.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return clean }
        var words: [String] = []
        var chunk: [UInt8] = []
        for ch in clean {
            let b = Array(String(ch).utf8)
            if chunk.count + b.count > 45 { words.append(word(chunk)); chunk = [] }
            chunk += b
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\n ")
    }

    static func word(_ bytes: [UInt8]) -> String { "=?utf-8?b?" + Data(bytes).base64EncodedString() + "?=" }

    static func rfc5322Date(_ t: Instant) -> String {
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let secs = t.ms / 1000
        let day = Int(secs.floorDiv(86_400))
        let c = CivilDate(dayNumber: day)
        let sod = Int(secs - Int64(day) * 86_400)
        func p(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[((day % 7) + 7) % 7]), \(c.day) \(months[c.month - 1]) \(c.year) \(p(sod / 3600)):\(p(sod / 60 % 60)):\(p(sod % 60)) +0000"
    }
}

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { self >= 0 ? self / d : (self - d + 1) / d }
}

extension String {
    func replacingQuotes() -> String { String(flatMap { $0 == "\"" || $0 == "\\" ? ["\\", $0] : [$0] }) }

    /// The index after a leading reply/forward prefix, if there is one.
    func index(afterPrefix prefixes: [String]) -> String.Index? {
        let lower = lowercased()
        for p in prefixes where lower.hasPrefix(p) { return index(startIndex, offsetBy: p.count) }
        return nil
    }
}
