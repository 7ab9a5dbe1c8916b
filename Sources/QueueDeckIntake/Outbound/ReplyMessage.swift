import Foundation
import QueueDeckDomain
import QueueDeckMail

/// An agent's email reply as an RFC 5322 message for `sendmail -t`: From the desk, To the
/// customer, the ticket ID in the subject, threaded by In-Reply-To and References.
public enum ReplyMessage {
    /// `files`: the reply's attachments with their bytes (from the blob store), sent as
    /// multipart/mixed with RFC 2231 file names.
    public static func compose(_ m: OutgoingMail, ticket: Ticket, thread: [String], from: String, now: Instant,
                               files: [(AttachmentRef, [UInt8])] = []) -> [UInt8] {
        let customerIDs = thread.filter { !$0.hasPrefix("<qdeck.") && $0 != m.messageID }
        let references = Array(thread.filter { $0 != m.messageID }.suffix(20))
        var subject = ticket.subject
        while let rest = subject.index(afterPrefix: ["re:", "aw:", "sv:", "fwd:", "fw:"]) { subject = String(subject[rest...]).trimmingWhitespace() }
        let tag = "[\(ticket.id)]"
        subject += subject.contains(tag) ? "" : " " + tag
        let toCustomer = (ticket.customer.email ?? "").lowercased() == m.to.lowercased() && ticket.customer.name != m.to
        var h: [(String, String)] = [
            ("From", address(from)),
            ("To", address(toCustomer ? "\(ticket.customer.name) <\(m.to)>" : m.to)),
        ]
        if !m.cc.isEmpty { h.append(("Cc", m.cc.map(address).joined(separator: ",\n "))) }
        h += [
            ("Subject", "Re: " + encode(subject)),
            ("Date", rfc5322Date(now)),
            ("Message-ID", m.messageID),
        ]
        if let last = customerIDs.last { h.append(("In-Reply-To", last)) }
        if !references.isEmpty { h.append(("References", references.joined(separator: "\n "))) }
        // A rule's reply is automatic (RFC 3834): out-of-office robots and other desks leave it
        // unanswered, and Exchange sends no automatic answers to it.
        if Automation.isRules(m.author) { h += [("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")] }
        let body = m.body.hasSuffix("\n") ? m.body : m.body + "\n"
        let textHeaders = [("Content-Type", "text/plain; charset=utf-8"),
                           ("Content-Transfer-Encoding", body.utf8.allSatisfy { $0 < 0x80 } ? "7bit" : "8bit")]
        h.append(("MIME-Version", "1.0"))
        func lines(_ fields: [(String, String)]) -> String { fields.map { "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n" }
        guard !files.isEmpty else {
            h += textHeaders + [("X-QueueDeck-Ticket", ticket.id.description)]
            return Array((lines(h) + "\n" + body).utf8)
        }
        // The boundary cannot occur in base64 or in the text: it holds "=_" and the message's own ID.
        let boundary = "=_qdeck_" + String(m.messageID.filter { $0.isLetter || $0.isNumber }.suffix(40))
        h += [("Content-Type", "multipart/mixed; boundary=\"\(boundary)\""), ("X-QueueDeck-Ticket", ticket.id.description)]
        var out = Array((lines(h) + "\nThis is a message in MIME format.\n\n--\(boundary)\n" + lines(textHeaders) + "\n" + body).utf8)
        for (file, bytes) in files {
            let type = mediaType(file.type)
            let part = [("Content-Type", type + ";\n " + parameter("name", file.name)),
                        ("Content-Disposition", "attachment;\n " + parameter("filename", file.name)),
                        ("Content-Transfer-Encoding", "base64")]
            out += Array(("\n--\(boundary)\n" + lines(part) + "\n").utf8)
            out += TransferEncoding.base64Lines(bytes)
        }
        out += Array("\n--\(boundary)--\n".utf8)
        return out
    }

    /// The declared type when it is a plain `type/subtype` of token characters, else
    /// application/octet-stream (a type from outside never carries parameters or line ends into the part).
    static func mediaType(_ raw: String) -> String {
        let t = raw.lowercased()
        let token = { (s: Substring) in !s.isEmpty && s.count <= 64 && s.utf8.allSatisfy { b in
            (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || [0x2B, 0x2D, 0x2E, 0x5F].contains(b) } }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && token(parts[0]) && token(parts[1]) ? t : "application/octet-stream"
    }

    /// `name="invoice.pdf"` for a short ASCII name; else RFC 2231: `name*0*=utf-8''…` in pieces of
    /// at most 60 characters, each on its own folded line.
    static func parameter(_ key: String, _ value: String) -> String {
        let clean = String(String.UnicodeScalarView(value.unicodeScalars.filter { !AddrSpec.isControl($0) }))
        let plain = clean.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
        if plain && clean.utf8.count <= 60 { return "\(key)=\"\(clean)\"" }
        var encoded = ""
        for b in clean.utf8 {
            let safe = (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || [0x2D, 0x2E, 0x5F, 0x7E].contains(b)
            encoded += safe ? String(UnicodeScalar(b)) : String(format: "%%%02X", b)
        }
        var pieces: [String] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            var cut = rest.index(rest.startIndex, offsetBy: min(60, rest.count))
            // Never split a %XX escape.
            if let pct = rest[..<cut].lastIndex(of: "%"), rest.distance(from: pct, to: cut) < 3 { cut = pct }
            pieces.append(String(rest[..<cut]))
            rest = rest[cut...]
        }
        return pieces.enumerated().map { i, p in "\(key)*\(i)*=" + (i == 0 ? "utf-8''" : "") + p }.joined(separator: ";\n ")
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

    /// The index after a leading reply/forward prefix, if there is one.
    func index(afterPrefix prefixes: [String]) -> String.Index? {
        let lower = lowercased()
        for p in prefixes where lower.hasPrefix(p) { return index(startIndex, offsetBy: p.count) }
        return nil
    }
}
