import Foundation
import QueueDeckDomain
@testable import QueueDeckJournal

/// A fresh folder per test, removed at the end.
final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "qdeck-journal-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
    func files() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
}

enum Sample {
    static let base = Instant(ms: 1_795_000_000_000)
    static func id(_ i: Int) -> TicketID {
        let a = TicketID.alphabet
        var n = i
        var s = ""
        for _ in 0..<11 { s.append(Character(UnicodeScalar(a[n % a.count]))); n /= a.count }
        return TicketID(s)!
    }

    /// Every variant of one kind, with hostile and multilingual text. Exhaustive: a new event kind
    /// does not compile until it has a fixture (and so a round trip through the codec).
    static func samples(of name: EventKind.Name, ticket t: TicketID) -> [Event] {
        let at = base
        func e(_ kind: EventKind, _ actor: String = "anna", on ticket: TicketID? = nil) -> Event {
            Event(ticket: ticket ?? t, at: at, actor: actor, kind: kind)
        }
        switch name {
        case .created:
            return [e(.created(TicketOpening(channel: .chat, customer: Customer(name: "Ελένη \u{1B}[2J", email: "e@example.com", phone: "+371 2000", groups: ["vip"]),
                                             subject: "Subject \u{202E}", body: "Ķ 中文\n\tline 2", priority: .urgent, department: "billing", linkedFrom: id(7), queue: "Atbalsts \u{1B}[2J")), "customer"),
                    e(.created(TicketOpening(channel: .email, customer: Customer(name: "N"), subject: "s")), "customer")]
        case .customerMessage: return [e(.customerMessage(body: "again ☹"), "customer"), e(.customerMessage(body: "accepted"), "from:M <m@x.example>")]
        case .agentReply: return [e(.agentReply(body: "Reply\r\n"))]
        case .note: return [e(.note(body: ""))]
        case .reassigned: return [e(.reassigned(agent: "bob", department: "technical", reason: "L2")), e(.reassigned(agent: nil, department: nil, reason: ""))]
        case .postponed: return [e(.postponed(until: at + 86_400_000))]
        case .resolved: return [e(.resolved)]
        case .reopened: return [e(.reopened)]
        case .priorityChanged: return Priority.allCases.map { e(.priorityChanged($0)) }
        case .tagged: return [e(.tagged(added: ["refund", "vip"], removed: ["x"]))]
        case .claimed: return [e(.claimed)]
        case .abandoned: return [e(.abandoned(reason: "hung up"), "customer")]
        case .presence: return Presence.allCases.map { e(.presence(agent: "anna", $0), on: .desk) }
        case .intake:
            return IntakeKind.allCases.map { k in
                e(.intake(IntakeRecord(key: "mail:<\(k.rawValue)@b>", kind: k, summary: "✉ \(k.name)", body: "Ķ\nbody", aliases: ["<a@b>", "call:17.2"],
                                       sender: k == .stranger || k == .accepted ? "M <m@x.example>" : "")), "system")
            }
        case .delivery:
            return [DeliveryStep.queued(to: "a@b"), .queued(to: "a@b", cc: ["c@d", "Ķ@e.example"]), .handing, .sent, .failed("sendmail: 75 ☹")].map { e(.delivery(messageID: "<qdeck.x@y>", $0)) }
        case .selfService:
            return SelfServiceRecord.Kind.allCases.map { k in
                e(.selfService(SelfServiceRecord(key: "ss:\(k.rawValue)-1", user: "Ilze@Inbox.lv", kind: k, subject: "Paroles maiņa \u{1B}[2J ☹")), "system", on: .desk)
            }
        case .attached:
            return [e(.attached([AttachmentRef(name: "rēķins \u{1B}[2J.pdf", type: "application/pdf", size: 34_000, digest: String(repeating: "ab", count: 32)),
                                 AttachmentRef(name: "huge.iso", type: "application/octet-stream", size: 30_000_000, digest: nil)]), "customer"),
                    e(.attached([AttachmentRef(name: "a.png", type: "image/png", size: 0, digest: String(repeating: "0", count: 64))]))]
        case .ccChanged: return [e(.ccChanged(["boss@example.com", "Ķ@x.example"]), "customer"), e(.ccChanged([]))]
        case .contactEdited:
            return [e(.contactEdited(ContactEdit(key: "ilze@inbox.lv", card: ContactCard(name: "Ilze \u{1B}[2J Bērziņa", emails: ["Ilze@Inbox.lv"], phones: ["+371 2000 0001"], groups: ["vip"]),
                                                 merged: ["tel:37120000002"])), on: .desk),
                    e(.contactEdited(ContactEdit(key: "tel:37120000003", card: ContactCard(name: "N"))), on: .desk)]
        case .customerUpdated:
            return [e(.customerUpdated(Customer(name: "Ilze Bērziņa", email: "ilze@inbox.lv", phone: "+371 2000 0001", groups: ["vip"]))),
                    e(.customerUpdated(Customer(name: "N")))]
        case .automation:
            return [e(.automation(rule: "escalate at risk \u{1B}[2J", .matched), "rules (escalate at risk)"),
                    e(.automation(rule: "escalate at risk", .rearmed), "rules (escalate at risk)"),
                    e(.automation(rule: "ping", .notified(["anna", "Bērziņš"])), "rules (ping)")]
        case .unknown: return []  // never written by this build: read from a newer journal only (its own test)
        }
    }

    /// Events of every kind, with hostile and multilingual text.
    static func events(tickets: Int) -> [Event] {
        var out: [Event] = []
        for i in 0..<tickets {
            let t = id(i)
            let at = base + Millis(i * 60_000)
            out.append(Event(ticket: t, at: at, actor: "customer", kind: .created(TicketOpening(
                channel: [.email, .call, .chat][i % 3], customer: Customer(name: "Ελένη \(i)", email: "e\(i)@example.com", phone: i % 2 == 0 ? "+371 2000\(i)" : nil, groups: i % 4 == 0 ? ["vip"] : []),
                subject: "Subject \(i) \u{1B}]0;PWNED\u{07}", body: "Body ķēķis 中文 \(i)\n\tline 2", priority: Priority(rawValue: i % 4)!,
                department: i % 2 == 0 ? "billing" : nil, linkedFrom: i > 0 && i % 5 == 0 ? id(i - 1) : nil))))
            out.append(Event(ticket: t, at: at + 1000, actor: "anna", kind: .agentReply(body: "Reply \(i)")))
            switch i % 6 {
            case 0: out.append(Event(ticket: t, at: at + 2000, actor: "customer", kind: .customerMessage(body: "again")))
            case 1: out.append(Event(ticket: t, at: at + 2000, actor: "bob", kind: .reassigned(agent: "bob", department: "technical", reason: "L2")))
            case 2: out.append(Event(ticket: t, at: at + 2000, actor: "anna", kind: .postponed(until: at + 86_400_000)))
            case 3: out.append(Event(ticket: t, at: at + 2000, actor: "anna", kind: .tagged(added: ["refund", "vip"], removed: ["x"])))
            case 4: out.append(Event(ticket: t, at: at + 2000, actor: "anna", kind: .priorityChanged(.urgent)))
            default: out.append(Event(ticket: t, at: at + 2000, actor: "anna", kind: .note(body: "internal")))
            }
            out.append(Event(ticket: t, at: at + 3000, actor: "anna", kind: i % 2 == 0 ? .resolved : .claimed))
        }
        return out
    }

    /// Writes `events` to a new journal, one append per event, and returns the record end offsets.
    @discardableResult
    static func write(_ events: [Event], to path: String) throws -> [Int64] {
        let j = try FileJournal(path: path, create: true)
        var ends: [Int64] = []
        for e in events {
            try j.append([e], expecting: [:])
            ends.append(j.endOffset)
        }
        return ends
    }
}

func fileBytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }
func writeBytes(_ b: [UInt8], _ path: String) { FileManager.default.createFile(atPath: path, contents: Data(b), attributes: [.posixPermissions: 0o660]) }
