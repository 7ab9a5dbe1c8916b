import QueueDeckDomain
import QueueDeckJournal
import QueueDeckMail

/// A parsed message in the domain's terms: the customer, the thread references, a key that makes
/// a redelivery a duplicate.
public enum MailArrivalBuilder {
    /// `blobs`: where attachments are kept (nil: listed only); `limit`: bytes over which one is listed
    /// but not kept; `desk`: the desk's own address, left out of the Cc list; `deferSync`: an import
    /// syncs the store once for a batch (`BlobStore.syncDeferred()` before appending).
    public static func arrival(_ raw: [UInt8], queue: String?, envelopeSender: String? = nil, blobs: (any BlobStore)? = nil,
                               limit: Int64 = 25_000_000, desk: String = "", deferSync: Bool = false) throws(JournalError) -> MailArrival {
        let m = MailParser.parse(raw)
        // Redeliveries are the same message (an MTA retrying sends the same bytes; another route adds
        // Received lines): same Message-ID, sender, subject and text. A reused Message-ID with other
        // content is another message, stored.
        let content = Array(((m.from?.address ?? "") + "\n" + m.subject + "\n" + m.text).utf8)
        let key = "mail:" + (m.messageID.map { $0 + "|" + Digest.hex(content) } ?? "sha:" + Digest.hex(raw))
        var from: Customer?
        // The writer (From) is the customer: a Reply-To may not choose who the customer is (it once
        // made a stranger a VIP) nor where their answers go. It is only used when From has no address.
        if let f = [m.from, m.replyTo].compactMap({ $0 }).first(where: { !$0.address.isEmpty }) {
            let name = (m.from?.name).flatMap { $0.isEmpty ? nil : $0 } ?? f.name
            from = Customer(name: name.isEmpty ? f.address : name, email: f.address)
        } else if let f = m.from, !f.name.isEmpty {
            from = Customer(name: f.name)
        } else if let s = envelopeSender ?? m.envelopeSender, AddrSpec.isValid(s) {
            from = Customer(name: s, email: s)
        }
        var attachments: [AttachmentRef] = []
        for a in m.attachments {
            let kept = Int64(a.size) <= limit ? try blobs?.put(a.bytes, deferSync: deferSync).hex : nil
            // Names and types from outside are bounded: they are stored with every listing of the message.
            attachments.append(AttachmentRef(name: String(a.name.prefix(255)), type: String(a.type.prefix(127)), size: Int64(a.size), digest: kept))
        }
        let deskAddress = MailAddress.first(desk)?.address.lowercased() ?? desk.lowercased()
        var cc: [String] = []
        for c in m.cc where AddrSpec.isValid(c.address) && c.address.lowercased() != deskAddress
            && c.address.lowercased() != (m.from?.address.lowercased() ?? "") && !cc.contains(where: { $0.lowercased() == c.address.lowercased() }) {
            cc.append(c.address)
        }
        let automatic: IntakeKind? = switch m.automatic {
        case .autoReply: .autoReply
        case .bounce: .bounce
        case nil: nil
        }
        let thread = m.inReplyTo + m.references.reversed()
        // The journal holds text, not archives: a body past 1 MB is cut, and says so.
        var text = m.text
        if text.utf8.count > textLimit {
            text = String(decoding: text.utf8.prefix(textLimit), as: UTF8.self) + "\n[… \(text.utf8.count - textLimit) more bytes not kept]"
        }
        // Problems worth flagging: the message is readable but something in it was not.
        let problems = m.problems
        let author = m.from.map { f in f.address.isEmpty ? (f.name.isEmpty ? "unknown sender" : f.name) : (f.name.isEmpty ? f.address : "\(f.name) <\(f.address)>") }
        return MailArrival(key: key, legacyKey: m.messageID.map { "mail:" + $0 }, messageID: m.messageID, from: from,
                           author: author ?? from.map { $0.email ?? $0.name } ?? "unknown sender",
                           authorAddress: m.from?.address ?? from?.email ?? "", replyTo: m.replyTo?.address ?? "", subject: m.subject, text: text, attachments: attachments, cc: Array(cc.prefix(20)),
                           threadIDs: thread, automatic: automatic, bouncedIDs: m.bouncedMessageIDs, report: m.bounceReport ?? "",
                           problems: problems, raw: problems.isEmpty ? "" : String(decoding: raw.prefix(256 * 1024), as: UTF8.self),
                           queue: queue,
                           bulk: m.headers["list-id"] != nil || m.headers["list-unsubscribe"] != nil)
    }

    static let textLimit = 1 << 20
}

/// FNV-1a, 64 bits: the key of a message without a Message-ID (the same bytes twice are one message).
enum Digest {
    static func hex(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s + "." + String(bytes.count)
    }
}
