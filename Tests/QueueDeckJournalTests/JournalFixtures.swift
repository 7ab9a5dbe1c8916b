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
